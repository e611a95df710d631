"""Подписи админки: провайдер оплаты — выбор из включённых, галочки вместо True/False, брендинг."""

import pytest

from commerce.payments.models import RegionPaymentProvider
from staff import roles
from tests.admin.conftest import role_user
from tests.admin.helpers import form_data

pytestmark = pytest.mark.django_db

ADD = "/admin/payments/region-provider/new/"


@pytest.fixture
def administrator(client):
    client.force_login(role_user(roles.ADMINISTRATOR))


def test_provider_is_a_choice_of_registered_providers(client, administrator, regions):
    page = client.get(ADD)
    assert page.status_code == 200
    content = page.content.decode()
    assert '<select name="provider"' in content
    assert "Оплата при получении" in content


def test_unknown_provider_is_rejected(client, administrator, regions):
    data = form_data(client.get(ADD))
    data.update({"region": str(regions.msk.pk), "provider": "yookasa", "sort_order": "0", "is_enabled": "on"})
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert not RegionPaymentProvider.objects.filter(provider="yookasa").exists()


def test_registered_provider_is_saved(client, administrator, regions):
    data = form_data(client.get(ADD))
    data.update({"region": str(regions.spb.pk), "provider": "cash_on_delivery", "sort_order": "0", "is_enabled": "on"})
    assert client.post(ADD, data).status_code == 302
    assert RegionPaymentProvider.objects.filter(region=regions.spb, provider="cash_on_delivery").exists()


def test_order_manager_cannot_open_payment_methods(client, regions):
    client.force_login(role_user(roles.ORDER_MANAGER))
    response = client.get(ADD)
    assert (response.status_code, response["Location"]) == (302, "/admin/")


@pytest.mark.parametrize(
    "url",
    ["/admin/snippets/catalog/brand/", "/admin/snippets/inventory/warehouse/", "/admin/payments/region-provider/"],
)
def test_lists_show_icons_not_true_false(client, administrator, catalog, url):
    RegionPaymentProvider.objects.get_or_create(region=catalog.msk, provider="cash_on_delivery")
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode().split("<tbody", 1)[1]
    assert "True" not in body and "False" not in body
    assert "icon-check" in body or "icon-cross" in body
