"""Главная админки магазина: панели заказов, обмена, остатков и поиска — каждая только по правам."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from commerce.exchange.models import ImportJob, ImportStatus
from commerce.inventory.models import Stock
from commerce.orders.models import Order, PaymentMethod
from commerce.orders.status import OrderStatus
from staff import roles
from tests.admin.conftest import role_user
from tests.factories.accounts import staff_user_with
from tests.factories.orders import OrderFactory
from tests.factories.search import SearchQueryLogFactory

pytestmark = pytest.mark.django_db

HOME = "/admin/"
PANELS = ("shop-orders", "shop-exchange", "shop-low-stock", "shop-zero-results")


def panels_on(content):
    return {name for name in PANELS if f'data-panel="{name}"' in content}


def test_orders_panel_counts_new_and_unpaid_and_links_latest(client, regions):
    # given: новый онлайн, ждущий оплаты онлайн, новый с оплатой при получении, оплаченный
    new_online = OrderFactory(region=regions.msk, status=OrderStatus.NEW)
    waiting = OrderFactory(region=regions.msk, status=OrderStatus.AWAITING_PAYMENT)
    cod = OrderFactory(region=regions.msk, status=OrderStatus.NEW, payment_method=PaymentMethod.CASH_ON_DELIVERY)
    paid = OrderFactory(region=regions.msk, status=OrderStatus.PAID, paid_at=timezone.now())
    client.force_login(role_user(roles.ORDER_MANAGER))
    # when
    response = client.get(HOME)
    # then
    assert response.status_code == 200
    summary = response.context["panels"][0].get_context_data({})["summary"]
    assert (summary["new_count"], summary["unpaid_count"]) == (2, 2)
    assert {order.pk for order in summary["latest"]} == {new_online.pk, waiting.pk, cod.pk}
    content = response.content.decode()
    assert f'href="/admin/orders/status/{new_online.pk}/"' in content
    assert paid.number not in content
    assert "оплачен: 1" in content  # статусы за сегодня


def test_orders_panel_shows_only_ten_latest(client, regions):
    for _ in range(12):
        OrderFactory(region=regions.msk)
    client.force_login(role_user(roles.ORDER_MANAGER))
    response = client.get(HOME)
    assert response.status_code == 200
    assert len(response.context["panels"][0].get_context_data({})["summary"]["latest"]) == 10


def test_orders_today_excludes_yesterday(client, regions):
    old = OrderFactory(region=regions.msk, status=OrderStatus.CANCELLED)
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    client.force_login(role_user(roles.ORDER_MANAGER))
    content = client.get(HOME).content.decode()
    assert "Сегодня заказов ещё нет." in content


def test_order_manager_sees_orders_panel_only(client, regions):
    client.force_login(role_user(roles.ORDER_MANAGER))
    response = client.get(HOME)
    assert response.status_code == 200
    assert panels_on(response.content.decode()) == {"shop-orders"}


def test_merchandiser_sees_exchange_stock_and_search_panels(client, regions):
    client.force_login(role_user(roles.MERCHANDISER))
    response = client.get(HOME)
    assert response.status_code == 200
    assert panels_on(response.content.decode()) == {"shop-exchange", "shop-low-stock", "shop-zero-results"}


def test_content_editor_sees_no_shop_panels(client, regions):
    client.force_login(role_user(roles.CONTENT_EDITOR))
    response = client.get(HOME)
    assert response.status_code == 200
    assert panels_on(response.content.decode()) == set()


def test_administrator_sees_every_shop_panel(client, regions):
    client.force_login(role_user(roles.ADMINISTRATOR))
    response = client.get(HOME)
    assert response.status_code == 200
    assert panels_on(response.content.decode()) == set(PANELS)


def test_staff_flag_alone_gives_no_admin(client, regions):
    client.force_login(staff_user_with())
    assert client.get(HOME).status_code == 302  # на вход: нет wagtailadmin.access_admin


def test_low_stock_panel_uses_threshold_and_available(client, catalog, settings):
    # given: телефон Б без остатков, ноутбук 5 шт., из них 3 в резерве → доступно 2
    settings.COMMERCE_LOW_STOCK_THRESHOLD = 2
    Stock.objects.filter(variant=catalog.laptop.variant).update(reserved=3)
    client.force_login(role_user(roles.MERCHANDISER))
    content = client.get(HOME).content.decode()
    assert "phone-b-1" in content
    assert "laptop-c-1" in content
    assert "phone-a-1" not in content  # 5 шт. доступно
    assert "вариантов — 2" in content


def test_exchange_panel_shows_failed_and_running_imports_of_the_week(client, regions):
    user = role_user(roles.MERCHANDISER)

    def job(status, name, days_ago=0):
        item = ImportJob.objects.create(user=user, status=status, original_name=name, rows_total=3, rows_rejected=1)
        item.file.save(name, ContentFile(b"sku\n"), save=True)
        ImportJob.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
        return item

    failed = job(ImportStatus.REJECTED, "bad.xlsx")
    running = job(ImportStatus.VALIDATING, "big.xlsx")
    job(ImportStatus.DONE, "fine.xlsx")
    job(ImportStatus.FAILED, "ancient.xlsx", days_ago=30)
    client.force_login(user)
    content = client.get(HOME).content.decode()
    assert f"/admin/exchange/upload/{failed.pk}/" in content
    assert f"/admin/exchange/upload/{running.pk}/" in content
    assert "fine.xlsx" not in content
    assert "ancient.xlsx" not in content
    assert "Отклонён: есть ошибки" in content


def test_exchange_panel_hides_other_users_imports_without_journal_permission(client, regions):
    other = role_user(roles.MERCHANDISER)
    item = ImportJob.objects.create(user=other, status=ImportStatus.FAILED, original_name="secret.xlsx")
    item.file.save("secret.xlsx", ContentFile(b"sku\n"), save=True)
    client.force_login(staff_user_with("wagtailadmin.access_admin", "exchange.run_import"))
    content = client.get(HOME).content.decode()
    assert 'data-panel="shop-exchange"' in content
    assert "secret.xlsx" not in content


def test_zero_results_panel_counts_this_week_only(client, regions):
    for _ in range(3):
        SearchQueryLogFactory(query="айфон 99", results_count=0)
    SearchQueryLogFactory(query="старый запрос", results_count=0, created_at=timezone.now() - timedelta(days=8))
    SearchQueryLogFactory(query="телефон", results_count=4)
    client.force_login(role_user(roles.MERCHANDISER))
    content = client.get(HOME).content.decode()
    assert "<td>айфон 99</td><td>3</td>" in content
    assert "старый запрос" not in content
    assert "<td>телефон</td>" not in content


def test_home_has_no_gravatar_or_update_check(client, regions):
    client.force_login(role_user(roles.ADMINISTRATOR))
    content = client.get(HOME).content.decode()
    assert "gravatar" not in content.lower()
    assert "data-w-upgrade" not in content
