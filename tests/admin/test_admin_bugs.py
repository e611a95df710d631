"""Ошибки админки, найденные в браузере: у каждой — тест, который падал до исправления."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from staff import roles
from tests.admin.conftest import role_user
from tests.admin.helpers import form_data
from tests.factories.accounts import UserFactory, staff_user_with

pytestmark = pytest.mark.django_db


def variant_edit_url(variant):
    return reverse("wagtailsnippets_catalog_variant:edit", args=[variant.pk])


def price_row(index, price_list, price):
    return {
        f"prices-{index}-id": "",
        f"prices-{index}-price_list": str(price_list.pk),
        f"prices-{index}-price": price,
        f"prices-{index}-old_price": "",
    }


def test_second_price_row_without_pricing_permission_is_ignored_not_500(client, catalog):
    # given: товаровед без права на цены; браузер не присылает отключённые поля (и id строки)
    variant = catalog.phone_white.variant
    client.force_login(staff_user_with("wagtailadmin.access_admin", "catalog.change_variant", "catalog.view_variant"))
    url = variant_edit_url(variant)
    data = form_data(client.get(url))
    assert "prices-0-price" not in data  # поле отключено
    data.update({"prices-TOTAL_FORMS": "2", **price_row(1, catalog.msk_list, "1.00")})
    # when
    response = client.post(url, data)
    # then: сохранено без изменения цен
    assert response.status_code == 302
    assert list(VariantPrice.objects.filter(variant=variant).values_list("price_list__code", "price")) == [
        ("base", Decimal("30000.00"))
    ]


def test_second_price_row_is_saved_by_merchandiser(client, catalog):
    variant = catalog.phone_white.variant
    client.force_login(role_user(roles.MERCHANDISER))
    url = variant_edit_url(variant)
    data = form_data(client.get(url))
    data.update({"prices-TOTAL_FORMS": "2", **price_row(1, catalog.msk_list, "29000.00")})
    response = client.post(url, data)
    assert response.status_code == 302
    assert VariantPrice.objects.get(variant=variant, price_list=catalog.msk_list).price == Decimal("29000.00")


def test_duplicate_price_list_row_is_a_form_error(client, catalog):
    variant = catalog.phone_white.variant
    client.force_login(role_user(roles.MERCHANDISER))
    url = variant_edit_url(variant)
    data = form_data(client.get(url))
    data.update({"prices-TOTAL_FORMS": "2", **price_row(1, catalog.base_list, "1.00")})
    response = client.post(url, data)
    assert response.status_code == 200
    assert VariantPrice.objects.filter(variant=variant).count() == 1


def test_reserved_is_read_only_in_variant_form_even_for_superuser(superuser_client, catalog):
    # given: 5 на складе, 2 в резерве
    variant = catalog.laptop.variant
    Stock.objects.filter(variant=variant).update(reserved=2)
    url = variant_edit_url(variant)
    page = superuser_client.get(url)
    assert 'name="stocks-0-reserved"' in page.content.decode()
    data = form_data(page)
    assert "stocks-0-reserved" not in data  # поле отключено
    # when: поддельный POST с резервом 0 и новым остатком
    data.update({"stocks-0-reserved": "0", "stocks-0-quantity": "7"})
    response = superuser_client.post(url, data)
    # then: остаток изменён, резерв — нет
    assert response.status_code == 302
    stock = Stock.objects.get(variant=variant)
    assert (stock.quantity, stock.reserved) == (7, 2)


def test_reserved_is_read_only_in_django_admin(superuser_client, catalog):
    variant = catalog.laptop.variant
    Stock.objects.filter(variant=variant).update(reserved=2)
    url = f"/django-admin/catalog/variant/{variant.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert 'name="stocks-0-reserved"' not in page.content.decode()
    data = form_data(page, form_id="variant_form")
    data["stocks-0-reserved"] = "0"
    assert superuser_client.post(url, data).status_code == 302
    assert Stock.objects.get(variant=variant).reserved == 2


@pytest.fixture
def administrator(client):
    user = role_user(roles.ADMINISTRATOR)
    client.force_login(user)
    return user


def test_administrator_cannot_make_user_superuser_in_wagtail(client, administrator):
    target = UserFactory(is_staff=True)
    url = reverse("wagtailusers_users:edit", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    data = form_data(page)
    data.update({"is_superuser": "on", "first_name": "Пётр", "last_name": "Петров"})
    response = client.post(url, data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.first_name, target.is_superuser) == ("Пётр", False)


def test_administrator_cannot_create_superuser_in_wagtail(client, administrator):
    url = reverse("wagtailusers_users:add")
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    data = form_data(page)
    data.update(
        {
            "username": "boss",
            "first_name": "Босс",
            "last_name": "Боссов",
            "email": "boss@example.ru",
            "password1": "Very-Secret-42!",
            "password2": "Very-Secret-42!",
            "is_superuser": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert User.objects.get(username="boss").is_superuser is False


def test_superuser_still_can_make_superuser_in_wagtail(superuser_client):
    target = UserFactory(is_staff=True)
    url = reverse("wagtailusers_users:edit", args=[target.pk])
    data = form_data(superuser_client.get(url))
    data.update({"is_superuser": "on", "first_name": "Пётр", "last_name": "Петров"})
    assert superuser_client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.is_superuser is True


def test_administrator_cannot_make_user_superuser_in_django_admin(client, administrator):
    target = UserFactory(is_staff=True)
    url = f"/django-admin/accounts/user/{target.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    data = form_data(page, form_id="user_form")
    data.update({"is_superuser": "on", "first_name": "Пётр"})
    response = client.post(url, data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.first_name, target.is_superuser) == ("Пётр", False)
