"""Сценарии `make bench`: адреса и тела запросов из данных базы и подсчёт SQL на запрос.

Собрано из прежних бенчмарков приложений (каталог, поиск, заказы) в один
список. Функции вызываются после django.setup() с базой бенчмарка.
"""

import json
import random
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

REGION = "msk"
REGION_HEADERS = {"X-Region": REGION}
JSON_HEADERS = {"X-Region": REGION, "Content-Type": "application/json"}
CHECKOUT_BODY = {
    "contact": {"name": "Бенчмарк", "phone": "+79160000000", "email": "bench@example.ru"},
    "delivery": {"method": "courier", "address": {"city": "Москва", "street": "Тверская", "house": "1"}},
    # В production (как у бенчмарка) тестового онлайн-провайдера нет: оплата при получении.
    "payment_method": "cash_on_delivery",
}
SEARCH_WORDS = ["смартфоны", "ноутбуки", "планшет", "телевизоры", "наушники", "куртка", "футболки", "чайник"]
# Товары, на которые идут корзина и оформление: остаток в Москве пополняется до «бесконечного».
HOT_VARIANTS = 500
HOT_QUANTITY = 1_000_000


@dataclass
class Scenario:
    """Сценарий: имя, сервер (project, project-cached, reference), запросы и цели."""

    name: str
    server: str
    requests: list
    cycle: bool = True
    # Имя сценария эталона, с которым сравнивается пропускная способность, и нужная доля.
    reference: str | None = None
    ratio_target: float | None = None
    p95_limit_ms: float | None = None
    max_queries: int | None = None
    sql_queries: int | None = None
    extra: dict = field(default_factory=dict)


def _get(path):
    return ["GET", path, None, REGION_HEADERS]


def catalog_paths(*, count, seed=7):
    """Адреса каталога: списки (категория 2-го уровня, раздел 1-го уровня, весь каталог), фасеты, карточка."""
    from commerce.catalog.models import Category, Product

    rng = random.Random(seed)
    categories = list(Category.objects.filter(depth=2, is_active=True).order_by("id").values_list("slug", flat=True))
    top_categories = list(
        Category.objects.filter(depth=1, is_active=True).order_by("id").values_list("slug", flat=True)
    )
    product_ids = list(Product.objects.filter(is_active=True).order_by("id").values_list("id", flat=True))
    sample = rng.sample(product_ids, min(count, len(product_ids)))
    slugs = dict(Product.objects.filter(id__in=sample).values_list("id", "slug"))
    return {
        "list": [
            f"/api/v1/catalog/products/?category={rng.choice(categories)}&sort=price&page_size=24" for _ in range(count)
        ],
        "facets": [f"/api/v1/catalog/products/facets/?category={rng.choice(categories)}" for _ in range(count)],
        # Корень каталога (~10 000 товаров в разделе) и весь каталог без категории — для сведения, без цели.
        "list_top": [
            f"/api/v1/catalog/products/?category={rng.choice(top_categories)}&page={rng.randint(1, 5)}"
            for _ in range(count)
        ],
        "list_all": [
            f"/api/v1/catalog/products/?in_stock=true&sort={rng.choice(['new', 'price', 'popular'])}"
            f"&page={rng.randint(1, 20)}"
            for _ in range(count)
        ],
        "detail": [f"/api/v1/catalog/products/{slugs[pk]}/" for pk in sample],
    }


def search_paths(*, count, seed=11):
    """Адреса поиска (слова каталога) и подсказок (префиксы 2–6 символов)."""
    rng = random.Random(seed)
    prefixes = sorted({word[:length] for word in SEARCH_WORDS for length in (2, 3, 4, 5, 6)})
    return {
        "search": [f"/api/v1/search/?q={quote(rng.choice(SEARCH_WORDS))}" for _ in range(count)],
        "suggest": [f"/api/v1/search/suggest/?q={quote(rng.choice(prefixes))}" for _ in range(count)],
    }


def hot_variants_prepare(*, count=HOT_VARIANTS):
    """Выбрать count вариантов с ценой и пополнить их остаток на складе Москвы; вернуть их id.

    Заодно включить в Москве оплату при получении — способ оплаты тела оформления.
    """
    from commerce.catalog.models import Variant
    from commerce.inventory.models import Stock, Warehouse
    from commerce.inventory.services import stock_set
    from commerce.payments.models import RegionPaymentProvider
    from regions.models import Region

    region = Region.objects.get(code=REGION)
    # Оформление принимает только способы оплаты, включённые в регионе.
    RegionPaymentProvider.objects.get_or_create(region=region, provider="cash_on_delivery")
    warehouse = Warehouse.objects.filter(region=region, is_active=True).order_by("sort_order", "code").first()
    variant_ids = list(
        Variant.objects.filter(is_active=True, product__is_active=True, prices__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
        .distinct()[:count]
    )
    stocked = set(
        Stock.objects.filter(
            warehouse=warehouse, variant_id__in=variant_ids, quantity__gte=HOT_QUANTITY // 2
        ).values_list("variant_id", flat=True)
    )
    for variant_id in variant_ids:
        if variant_id not in stocked:
            stock_set(variant=Variant(pk=variant_id), warehouse=warehouse, quantity=HOT_QUANTITY)
    return variant_ids


def carts_prepare(*, variant_ids, count, seed=5):
    """Создать count анонимных корзин по две строки — по одной на запрос оформления."""
    from commerce.cart.models import Cart, CartLine
    from regions.models import Region

    rng = random.Random(seed)
    region = Region.objects.get(code=REGION)
    carts = Cart.objects.bulk_create(Cart(region=region) for _ in range(count))
    CartLine.objects.bulk_create(
        CartLine(cart=cart, variant_id=variant_id, quantity=1)
        for cart in carts
        for variant_id in rng.sample(variant_ids, min(2, len(variant_ids)))
    )
    return [str(cart.token) for cart in carts]


def cart_requests(*, variant_ids, count, seed=5):
    """Запросы добавления в корзину: без токена — каждый создаёт анонимную корзину и строку."""
    rng = random.Random(seed)
    return [
        ["POST", "/api/v1/cart/lines/", {"variant_id": rng.choice(variant_ids), "quantity": 1}, JSON_HEADERS]
        for _ in range(count)
    ]


def checkout_requests(tokens):
    """Запросы оформления: у каждого своя корзина и свой ключ идемпотентности."""
    return [
        [
            "POST",
            "/api/v1/checkout/",
            CHECKOUT_BODY,
            {**JSON_HEADERS, "X-Cart-Token": token, "Idempotency-Key": str(uuid.uuid4())},
        ]
        for token in tokens
    ]


def orders_cleanup():
    """Снять резервы заказов бенчмарка и удалить анонимные корзины (прогон можно повторять)."""
    from datetime import timedelta

    from django.utils import timezone

    from commerce.cart.models import Cart
    from commerce.orders.services import orders_reservations_expire

    while orders_reservations_expire(now=timezone.now() + timedelta(days=365)):
        pass
    Cart.objects.filter(user__isnull=True).delete()


def sql_queries(request, *, cached=False, warmup=None):
    """Число SQL-запросов на запрос: в процессе тем же кодом, второй из двух одинаковых запросов (и для POST).

    cached — с кэшем ответов каталога (первый запрос кладёт ответ в Redis, второй читает).
    warmup — другой запрос для прогрева (оформление одной корзины дважды не повторить).
    Тело — JSON; без кэша версия каталога та же, что у сервера.
    """
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    method, path = request[0], request[1]
    client = Client()
    timeout = 300 if cached else 0
    with override_settings(CATALOG_CACHE_TIMEOUT=timeout, SEARCH_SUGGEST_CACHE_SECONDS=timeout):

        def call(request=request):
            method, path, body, headers = request
            headers = {key: value for key, value in headers.items() if key != "Content-Type"}
            if method == "GET":
                return client.get(path, headers=headers)
            return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)

        # Прогрев: кэши процесса (регионы, снимок акций, типы содержимого) — как у работающего сервера.
        call(warmup if warmup is not None else request)
        with CaptureQueriesContext(connection) as context:
            response = call()
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{method} {path}: HTTP {response.status_code} {response.content[:300]!r}")
    return len(context.captured_queries)
