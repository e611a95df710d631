"""Записи поиска: журнал запросов и событий (через буфер), агрегаты по дням, популярные запросы,
очистка старого журнала.

Журнал не должен замедлять поиск: запрос API кладёт запись в список Redis (одна команда
RPUSH, доли миллисекунды), а задача ``search_buffer_flush`` раз в минуту переносит буфер в
базу пачками (bulk_create). Без Redis (``make run``) запись идёт в базу сразу, а при
SEARCH_STATS_AGGREGATE_ON_WRITE (встроенный вариант: нет beat) после её фиксации
пересчитываются и агрегаты сегодняшнего дня — отчёты заполняются по ходу. Любая ошибка
журнала только пишется в лог: поиск отвечает всегда.
"""

import hashlib
import hmac
import logging
import uuid
from datetime import datetime, time, timedelta

import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, NullIf, RowNumber
from django.utils import timezone

from commerce.search.models import (
    CategoryDaily,
    EventKind,
    PopularQuery,
    ProductDaily,
    SearchEvent,
    SearchQueryDaily,
    SearchQueryLog,
)

logger = logging.getLogger(__name__)

BUFFER_KEY = "megashop:search:buffer"
DELETE_BATCH = 10_000


def _redis():
    """Вернуть клиент Redis кэша по умолчанию или None, если кэш не Redis."""
    try:
        # Кэш может быть не Redis (встроенный вариант без REDIS_URL): тогда клиента нет.
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except (ImportError, NotImplementedError):
        return None


def anonymize(kind, value):
    """Вернуть необратимый хеш идентификатора (HMAC-SHA256 на SECRET_KEY, 32 символа) или ""."""
    if not value:
        return ""
    key = hashlib.sha256(f"megashop-search:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _buffer_push(record):
    """Положить запись в буфер Redis, а без Redis — сразу записать в базу. Никогда не бросает."""
    try:
        client = _redis()
        if client is not None:
            client.rpush(BUFFER_KEY, orjson.dumps(record))
        else:
            _records_write([record])
            if settings.SEARCH_STATS_AGGREGATE_ON_WRITE:
                transaction.on_commit(_stats_aggregate_after_write, robust=True)
    except Exception:
        logger.warning("Не удалось записать событие поиска в журнал", exc_info=True)


def _stats_aggregate_after_write():
    """Пересчитать агрегаты сегодняшнего дня задачей (в режиме eager — сразу, в этом процессе).

    Ошибка только пишется в лог (on_commit robust): ответ поиска уже отдан, а следующий
    пересчёт — с каждой новой записью или `manage.py` — соберёт день заново (он идемпотентен).
    """
    # tasks импортирует этот модуль (задача зовёт сервис): импорт здесь разрывает цикл.
    from commerce.search.tasks import search_stats_aggregate

    search_stats_aggregate.delay()


def search_log_record(*, query, region_code, results_count, corrected_query="", user_id=None, session_key=""):
    """Записать поиск в журнал (через буфер) и вернуть его search_id.

    search_id витрина передаёт в событиях просмотра, корзины и покупки: так они привязываются
    к запросу. При SEARCH_LOG_ENABLED=False журнал не пишется, а search_id всё равно выдаётся.
    """
    search_id = uuid.uuid4()
    if settings.SEARCH_LOG_ENABLED and query:
        _buffer_push(
            {
                "type": "log",
                "search_id": str(search_id),
                "created_at": timezone.now().isoformat(),
                "region_code": region_code or "",
                "query": query,
                "corrected_query": corrected_query or "",
                "results_count": int(results_count),
                "user_hash": anonymize("user", user_id),
                "session_hash": anonymize("session", session_key),
            }
        )
    return search_id


def search_event_record(
    *, kind, product_id, category_id=None, region_code="", search_id=None, quantity=1, session_key=""
):
    """Записать событие витрины по товару (просмотр, корзина, покупка) через буфер.

    Точка входа для других приложений (корзина, заказы) и для POST /api/v1/search/events/.

    Args:
        kind: EventKind — view, cart или purchase.
        product_id: id товара; category_id — его основная категория (для отчёта по категориям).
        region_code: код региона запроса.
        search_id: id поиска из ответа /api/v1/search/, если событие — его следствие.
        quantity: штук (для корзины и покупки).
        session_key: идентификатор сессии или корзины; хранится только хеш.
    """
    if kind not in EventKind.values:
        raise ValueError(f"Неизвестный вид события: {kind}")
    if not settings.SEARCH_LOG_ENABLED:
        return
    _buffer_push(
        {
            "type": "event",
            "created_at": timezone.now().isoformat(),
            "kind": kind,
            "region_code": region_code or "",
            "product_id": int(product_id),
            "category_id": category_id,
            "quantity": max(int(quantity or 1), 1),
            "search_id": str(search_id) if search_id else None,
            "session_hash": anonymize("session", session_key),
        }
    )


def _records_write(records):
    logs, events = [], []
    for record in records:
        record = dict(record)
        record_type = record.pop("type", None)
        record["created_at"] = datetime.fromisoformat(record["created_at"])
        if record_type == "log":
            logs.append(SearchQueryLog(**record))
        elif record_type == "event":
            events.append(SearchEvent(**record))
    with transaction.atomic():
        # ignore_conflicts: повторная доставка той же пачки (задача перезапущена) не дублирует поиски.
        SearchQueryLog.objects.bulk_create(logs, ignore_conflicts=True)
        SearchEvent.objects.bulk_create(events)
    return len(logs), len(events)


def search_buffer_flush(*, batch_size=None, max_batches=100):
    """Перенести записи из буфера Redis в базу пачками; вернуть (поисков, событий).

    Пачка снимается атомарно (LRANGE + LTRIM в транзакции Redis); если запись в базу не
    удалась, пачка возвращается в буфер и ошибка пробрасывается (задачу повторит Celery).
    """
    client = _redis()
    if client is None:
        return 0, 0
    batch_size = batch_size or settings.SEARCH_LOG_FLUSH_BATCH
    total_logs = total_events = 0
    for _batch in range(max_batches):
        pipeline = client.pipeline(transaction=True)
        pipeline.lrange(BUFFER_KEY, 0, batch_size - 1)
        pipeline.ltrim(BUFFER_KEY, batch_size, -1)
        raw_records, _trimmed = pipeline.execute()
        if not raw_records:
            break
        records = []
        for raw in raw_records:
            try:
                records.append(orjson.loads(raw))
            except orjson.JSONDecodeError:
                logger.warning("Повреждённая запись в буфере журнала поиска пропущена")
        try:
            logs, events = _records_write(records)
        except Exception:
            client.lpush(BUFFER_KEY, *reversed(raw_records))
            raise
        total_logs += logs
        total_events += events
        if len(raw_records) < batch_size:
            break
    return total_logs, total_events


def _day_bounds(day):
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    return start, start + timedelta(days=1)


def search_stats_aggregate(*, day):
    """Пересчитать агрегаты дня (в часовом поясе проекта) по регионам: запросы, товары, категории.

    Идемпотентно: строки дня удаляются и собираются заново в одной транзакции, поэтому задачу
    можно запускать сколько угодно раз (каждые 15 минут для сегодняшнего дня и ночью — для
    вчерашнего). Возвращает число строк (запросов, товаров, категорий).
    """
    start, end = _day_bounds(day)
    logs = SearchQueryLog.objects.filter(created_at__gte=start, created_at__lt=end)
    events = SearchEvent.objects.filter(created_at__gte=start, created_at__lt=end)

    query_rows = {
        (row["region_code"], row["query"]): row
        for row in logs.values("region_code", "query")
        .annotate(
            searches=Count("id"),
            zero_results=Count("id", filter=Q(results_count=0)),
            users=Count(Coalesce(NullIf("user_hash", Value("")), NullIf("session_hash", Value(""))), distinct=True),
        )
        .order_by()
    }
    # Конверсии: событие с search_id приписывается запросу того поиска (и дню события).
    attributed = (
        events.exclude(search_id=None)
        .annotate(
            search_query=Subquery(SearchQueryLog.objects.filter(search_id=OuterRef("search_id")).values("query")[:1])
        )
        .exclude(search_query=None)
        .values("region_code", "search_query")
        .annotate(
            views=Count("id", filter=Q(kind=EventKind.VIEW)),
            carts=Count("id", filter=Q(kind=EventKind.CART)),
            purchases=Count("id", filter=Q(kind=EventKind.PURCHASE)),
        )
        .order_by()
    )
    for row in attributed:
        key = (row["region_code"], row["search_query"])
        target = query_rows.setdefault(
            key, {"region_code": key[0], "query": key[1], "searches": 0, "zero_results": 0, "users": 0}
        )
        target.update(views=row["views"], carts=row["carts"], purchases=row["purchases"])

    quantity = Coalesce(Sum("quantity", filter=Q(kind=EventKind.CART)), 0)
    product_rows = (
        events.values("region_code", "product_id")
        .annotate(
            views=Count("id", filter=Q(kind=EventKind.VIEW)),
            carts=quantity,
            purchases=Coalesce(Sum("quantity", filter=Q(kind=EventKind.PURCHASE)), 0),
            from_search=Count("id", filter=Q(search_id__isnull=False)),
        )
        .order_by()
    )
    category_rows = (
        events.exclude(category_id=None)
        .values("region_code", "category_id")
        .annotate(
            views=Count("id", filter=Q(kind=EventKind.VIEW)),
            carts=quantity,
            purchases=Coalesce(Sum("quantity", filter=Q(kind=EventKind.PURCHASE)), 0),
        )
        .order_by()
    )
    with transaction.atomic():
        SearchQueryDaily.objects.filter(date=day).delete()
        ProductDaily.objects.filter(date=day).delete()
        CategoryDaily.objects.filter(date=day).delete()
        queries = SearchQueryDaily.objects.bulk_create(
            [SearchQueryDaily(date=day, **row) for row in query_rows.values()], batch_size=2000
        )
        products = ProductDaily.objects.bulk_create(
            [ProductDaily(date=day, **row) for row in product_rows], batch_size=2000
        )
        categories = CategoryDaily.objects.bulk_create(
            [CategoryDaily(date=day, **row) for row in category_rows], batch_size=2000
        )
    return len(queries), len(products), len(categories)


def popular_queries_refresh(*, today=None):
    """Пересобрать PopularQuery: топ запросов каждого региона за SEARCH_POPULAR_DAYS дней.

    В топ попадают только запросы, которые хоть раз что-то нашли и которые искали не меньше
    SEARCH_POPULAR_MIN_SEARCHES раз: случайный запрос одного посетителя (телефон, e-mail)
    витрине не показывается.
    """
    today = today or timezone.localdate()
    since = today - timedelta(days=settings.SEARCH_POPULAR_DAYS)
    limit = settings.SEARCH_POPULAR_LIMIT
    minimum = settings.SEARCH_POPULAR_MIN_SEARCHES
    rows = (
        SearchQueryDaily.objects.filter(date__gt=since, date__lte=today)
        .values("region_code", "query")
        .annotate(total=Sum("searches"), zero=Sum("zero_results"))
        .filter(total__gte=minimum, total__gt=F("zero"))
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("region_code")], order_by=[F("total").desc(), F("query").asc()]
            )
        )
        .filter(position__lte=limit)
        .order_by()
    )
    items = [PopularQuery(region_code=row["region_code"], query=row["query"], searches=row["total"]) for row in rows]
    with transaction.atomic():
        PopularQuery.objects.all().delete()
        PopularQuery.objects.bulk_create(items, batch_size=2000)
    return len(items)


def search_logs_purge(*, older_than_days=None):
    """Удалить сырой журнал поиска и событий старше срока хранения; агрегаты остаются.

    Удаляет пачками по DELETE_BATCH строк, чтобы не держать долгих блокировок. Возвращает
    (удалено поисков, удалено событий).
    """
    days = older_than_days if older_than_days is not None else settings.SEARCH_LOG_RETENTION_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    totals = []
    for model in (SearchQueryLog, SearchEvent):
        deleted = 0
        while True:
            ids = list(model.objects.filter(created_at__lt=cutoff).values_list("id", flat=True)[:DELETE_BATCH])
            if not ids:
                break
            deleted += model.objects.filter(id__in=ids).delete()[0]
        totals.append(deleted)
    return tuple(totals)
