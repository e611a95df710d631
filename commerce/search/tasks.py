"""Задачи Celery поиска: перенос буфера журнала, агрегаты по дням, популярные запросы, очистка.

Каждая задача вызывает сервис, идемпотентна и может быть повторена.
"""

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from commerce.search import services
from commerce.search.indexing import products_reindex


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def search_buffer_flush():
    """Перенести журнал поиска и событий из буфера Redis в базу."""
    logs, events = services.search_buffer_flush()
    return {"logs": logs, "events": events}


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def search_stats_aggregate(day=None):
    """Сбросить буфер, пересчитать агрегаты дня (по умолчанию — сегодня) и популярные запросы.

    day — дата ISO (2025-01-31); вчерашний день пересчитывает ночной запуск с day="yesterday".
    """
    today = timezone.localdate()
    if day in (None, "today"):
        target = today
    elif day == "yesterday":
        target = today - timedelta(days=1)
    else:
        target = date.fromisoformat(day)
    services.search_buffer_flush()
    queries, products, categories = services.search_stats_aggregate(day=target)
    popular = services.popular_queries_refresh(today=today)
    return {
        "day": target.isoformat(),
        "queries": queries,
        "products": products,
        "categories": categories,
        "popular": popular,
    }


@shared_task
def search_logs_purge():
    """Удалить сырой журнал старше SEARCH_LOG_RETENTION_DAYS (агрегаты остаются)."""
    logs, events = services.search_logs_purge()
    return {"logs": logs, "events": events}


@shared_task
def search_products_reindex(product_ids):
    """Переиндексировать товары (после переименования бренда или категории)."""
    return products_reindex(product_ids=product_ids)
