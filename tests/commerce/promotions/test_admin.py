"""Акции в Wagtail admin: маркетолог с модельными правами заводит промокод, отчёт — по своему праву."""

import pytest

from commerce.promotions.models import PromoCode, Promotion
from tests.commerce.orders.helpers import cart_create, checkout_request
from tests.commerce.promotions.conftest import promotion_create
from tests.factories.accounts import staff_user_with

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/promotions/promotion/add/"
REPORT = "/admin/reports/promotions/"


def _form(shop, **overrides):
    data = {
        "name": "Рассылка ноября",
        "kind": "code",
        "effect": "order_discount",
        "discount_type": "percent",
        "discount_value": "10",
        "nth_item": "",
        "gift_variant": "",
        "label": "",
        "is_active": "on",
        "description": "",
        "regions": [shop.msk.pk],
        "starts_at": "2026-01-01 00:00",
        "ends_at": "",
        "min_subtotal": "",
        "usage_limit": "",
        "per_customer_limit": "",
        "priority": "0",
        "codes-TOTAL_FORMS": "1",
        "codes-INITIAL_FORMS": "0",
        "codes-MIN_NUM_FORMS": "0",
        "codes-MAX_NUM_FORMS": "1000",
        "codes-0-code": "november",
        "codes-0-usage_limit": "1",
        "codes-0-per_customer_limit": "",
        "codes-0-is_active": "on",
        "codes-0-ORDER": "1",
        "codes-0-id": "",
        "codes-0-DELETE": "",
    }
    data.update(overrides)
    return data


def test_marketer_creates_a_one_time_code_for_a_region(client, shop):
    marketer = staff_user_with("wagtailadmin.access_admin", "promotions.add_promotion", "promotions.view_promotion")
    client.force_login(marketer)
    response = client.post(ADD, _form(shop))
    assert response.status_code == 302, response.content.decode()[:2000]
    promotion = Promotion.objects.get()
    assert list(promotion.regions.all()) == [shop.msk]
    assert PromoCode.objects.get().code == "NOVEMBER"


def test_percent_over_one_hundred_is_refused_by_the_form(client, shop):
    client.force_login(staff_user_with("wagtailadmin.access_admin", "promotions.add_promotion"))
    response = client.post(ADD, _form(shop, discount_value="150"))
    assert response.status_code == 200 and not Promotion.objects.exists()


def test_staff_without_model_permission_cannot_open_promotions(client, shop):
    client.force_login(staff_user_with("wagtailadmin.access_admin"))
    assert client.get("/admin/snippets/promotions/promotion/").status_code == 302


def test_report_shows_usages_and_discount_only_with_its_permission(client, shop):
    promotion_create(code="REP", value="10")
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    cart.promo_code = "REP"
    cart.save()
    assert checkout_request(cart=cart).status_code == 201
    client.force_login(staff_user_with("wagtailadmin.access_admin"))
    assert client.get(REPORT).status_code == 302
    client.force_login(staff_user_with("wagtailadmin.access_admin", "promotions.view_promotion_report"))
    response = client.get(REPORT)
    assert response.status_code == 200
    assert "REP" in response.content.decode() and "250" in response.content.decode()
    export = client.get(REPORT, {"export": "csv"})
    # SQLite складывает Decimal в целое «250», PostgreSQL — «250.00».
    assert export.status_code == 200 and "REP,1,1,250" in b"".join(export.streaming_content).decode()
