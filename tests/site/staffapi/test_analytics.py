"""Аналитика: заказы по дням и регионам (выручка без отмен) и поиск по дневным агрегатам."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.search.models import ProductDaily, SearchQueryDaily
from staff import roles
from staffapi.models import StaffRegionAccess
from tests.factories.orders import OrderFactory
from tests.site.staffapi.conftest import BASE, session_client, staff_in_group

pytestmark = pytest.mark.django_db


def test_order_stats_count_revenue_and_average_per_day_and_region(regions, manager_client):
    # given
    free = {"delivery_cost": Decimal("0.00")}
    OrderFactory(region=regions.msk, subtotal=Decimal("1000.00"), total=Decimal("1000.00"), **free)
    OrderFactory(region=regions.msk, subtotal=Decimal("500.50"), total=Decimal("500.50"), **free)
    OrderFactory(region=regions.msk, status="cancelled")
    OrderFactory(region=regions.spb)

    # when
    rows = manager_client.get(f"{BASE}analytics/orders/").json()

    # then
    today = timezone.localdate().isoformat()
    msk = next(row for row in rows if row["region"] == "msk")
    assert msk == {
        "date": today,
        "region": "msk",
        "currency": "RUB",
        "orders": 3,
        "revenue_orders": 2,
        "revenue": "1500.50",
        "average": "750.25",
    }
    assert [row["region"] for row in rows] == ["msk", "spb"]


def test_order_stats_respect_staff_regions_and_period_validation(regions, manager):
    OrderFactory(region=regions.msk)
    StaffRegionAccess.objects.create(user=manager).regions.add(regions.spb)
    client = session_client(manager)

    assert client.get(f"{BASE}analytics/orders/").json() == []
    assert client.get(f"{BASE}analytics/orders/", {"region": "msk"}).status_code == 403
    wrong = client.get(f"{BASE}analytics/orders/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"][0]["path"] == "date_from"


def test_search_stats_from_daily_aggregates(regions):
    # given
    day = timezone.localdate() - datetime.timedelta(days=1)
    SearchQueryDaily.objects.create(date=day, region_code="msk", query="айфон", searches=8, zero_results=0, purchases=2)
    SearchQueryDaily.objects.create(date=day, region_code="msk", query="кофеварка", searches=2, zero_results=2)
    ProductDaily.objects.create(date=day, region_code="msk", product_id=7, views=10, purchases=3)
    client = session_client(staff_in_group(roles.MERCHANDISER))

    # when
    body = client.get(f"{BASE}analytics/search/", {"region": "msk"}).json()

    # then
    assert (body["searches"], body["zero_results"], body["zero_result_rate"]) == (10, 2, 0.2)
    assert body["daily"] == [{"date": day.isoformat(), "searches": 10, "zero_results": 2, "zero_result_rate": 0.2}]
    assert [row["query"] for row in body["top_queries"]] == ["айфон", "кофеварка"]
    assert [row["query"] for row in body["zero_result_queries"]] == ["кофеварка"]
    assert body["popular_products"] == [{"product_id": 7, "views": 10, "carts": 0, "purchases": 3}]
