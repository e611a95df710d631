"""Чтения для аналитики API сотрудников: заказы и поиск по дням и регионам за период.

Заказы считаются прямо по таблице заказов (отменённые и возвращённые не входят в выручку);
поиск — по дневным агрегатам commerce.search (SearchQueryDaily, ProductDaily, CategoryDaily),
которые собирает задача Celery beat. Сотрудник с регионами видит только свои регионы.
"""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from commerce.orders.models import Order
from commerce.orders.status import OrderStatus
from commerce.search.models import CategoryDaily, ProductDaily, SearchQueryDaily
from regions.models import Region
from staffapi.regions import region_scope, staff_region_ids

NOT_REVENUE = (OrderStatus.CANCELLED, OrderStatus.RETURNED)
TOP_LIMIT = 20
CENTS = Decimal("0.01")


def _money(value):
    return (value or Decimal("0")).quantize(CENTS)


def order_stats(*, request, date_from, date_to, region_code=None):
    """Число заказов, выручка и средний чек по дням и регионам (дни — по времени магазина).

    Returns:
        list[dict] — date, region, currency, orders, revenue_orders, revenue, average, по дате и региону.
    """
    queryset = region_scope(Order.objects.all(), request)
    if region_code:
        queryset = queryset.filter(region__code=region_code)
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = (
        queryset.annotate(day=TruncDate("created_at", tzinfo=zone))
        .filter(day__gte=date_from, day__lte=date_to)
        .values("day", "region__code", "currency")
        .annotate(
            orders=Count("id"),
            revenue_orders=Count("id", filter=~Q(status__in=NOT_REVENUE)),
            revenue=Sum("total", filter=~Q(status__in=NOT_REVENUE)),
        )
        .order_by("day", "region__code", "currency")
    )
    return [
        {
            "date": row["day"],
            "region": row["region__code"],
            "currency": row["currency"],
            "orders": row["orders"],
            "revenue_orders": row["revenue_orders"],
            "revenue": _money(row["revenue"]),
            "average": _money(row["revenue"] / row["revenue_orders"]) if row["revenue_orders"] else _money(None),
        }
        for row in rows
    ]


def _allowed_region_codes(request):
    region_ids = staff_region_ids(request)
    if region_ids is None:
        return None
    return set(Region.objects.filter(pk__in=region_ids).values_list("code", flat=True))


def _scoped(queryset, *, request, date_from, date_to, region_code):
    queryset = queryset.filter(date__gte=date_from, date__lte=date_to)
    allowed = _allowed_region_codes(request)
    if allowed is not None:
        queryset = queryset.filter(region_code__in=allowed)
    if region_code:
        queryset = queryset.filter(region_code=region_code)
    return queryset


def search_stats(*, request, date_from, date_to, region_code=None):
    """Поиски по дням, доля пустых выдач, топ запросов и пустых запросов, популярные товары и категории."""
    scope = {"request": request, "date_from": date_from, "date_to": date_to, "region_code": region_code}
    queries = _scoped(SearchQueryDaily.objects.all(), **scope)
    daily = [
        {
            "date": row["date"],
            "searches": row["searches"],
            "zero_results": row["zero_results"],
            "zero_result_rate": round(row["zero_results"] / row["searches"], 4) if row["searches"] else 0.0,
        }
        for row in queries.values("date")
        .annotate(searches=Sum("searches"), zero_results=Sum("zero_results"))
        .order_by("date")
    ]
    totals = queries.aggregate(searches=Sum("searches"), zero_results=Sum("zero_results"))
    searches, zero = totals["searches"] or 0, totals["zero_results"] or 0
    by_query = queries.values("query").annotate(
        searches=Sum("searches"), zero_results=Sum("zero_results"), purchases=Sum("purchases")
    )
    products = (
        _scoped(ProductDaily.objects.all(), **scope)
        .values("product_id")
        .annotate(views=Sum("views"), carts=Sum("carts"), purchases=Sum("purchases"))
        .order_by("-purchases", "-views", "product_id")[:TOP_LIMIT]
    )
    categories = (
        _scoped(CategoryDaily.objects.all(), **scope)
        .values("category_id")
        .annotate(views=Sum("views"), carts=Sum("carts"), purchases=Sum("purchases"))
        .order_by("-purchases", "-views", "category_id")[:TOP_LIMIT]
    )
    return {
        "searches": searches,
        "zero_results": zero,
        "zero_result_rate": round(zero / searches, 4) if searches else 0.0,
        "daily": daily,
        "top_queries": list(by_query.order_by("-searches", "query")[:TOP_LIMIT]),
        "zero_result_queries": list(by_query.filter(zero_results__gt=0).order_by("-zero_results", "query")[:TOP_LIMIT]),
        "popular_products": list(products),
        "popular_categories": list(categories),
    }
