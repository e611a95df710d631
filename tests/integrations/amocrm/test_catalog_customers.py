"""Строки заказа — товарами сделки (списки amoCRM) и покупатели — контактами (customer.*)."""

import pytest

from integrations.core.models import ExternalId, ExternalKind
from integrations.core.services import connection_check
from tests.factories.accounts import UserFactory
from tests.integrations.amocrm.fake_amocrm import PRODUCTS_CATALOG_ID
from tests.integrations.amocrm.helpers import deliver_all, order_place, redeliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def amo_catalog(amo):
    amo.options = {**amo.options, "catalog_id": PRODUCTS_CATALOG_ID}
    amo.save(update_fields=["options"])
    return amo


def test_order_lines_become_products_of_the_deal_once_under_redelivery(shop, amo_catalog, fake):
    # when — заказ доставлен, потом outbox прислал его ещё раз
    order = order_place(shop, quantity=3)
    deliver_all(amo_catalog)
    redeliver(amo_catalog)

    # then — один элемент «Товары» с артикулом и ценой, привязан к сделке с количеством 3
    (lead_id,) = fake.leads
    (line,) = order.lines.all()
    assert fake.lead_products(lead_id) == {line.sku: 3}
    (element,) = fake.elements.values()
    fields = {field["field_code"]: field["values"][0]["value"] for field in element["custom_fields_values"]}
    assert fields == {"SKU": line.sku, "PRICE": int(line.unit_price)}
    assert len(fake.api_requests("POST", f"/api/v4/leads/{lead_id}/link")) == 1
    assert ExternalId.objects.filter(connection=amo_catalog, kind=ExternalKind.VARIANT).count() == 1
    # заметка с составом заказа остаётся: в ней доставка, оплата и итог
    assert len(fake.notes_of(lead_id)) == 1


def test_product_the_manager_created_is_found_by_sku_not_duplicated(shop, amo_catalog, fake):
    # given — менеджер уже завёл товар с тем же артикулом
    element_id = fake.element_add(name="Рубашка (вручную)", sku=shop.shirt.sku)

    order_place(shop)
    deliver_all(amo_catalog)

    (lead_id,) = fake.leads
    assert list(fake.elements) == [element_id]
    assert fake.lead_products(lead_id) == {shop.shirt.sku: 2}


def test_second_order_reuses_the_mapped_element_without_searching(shop, amo_catalog, fake):
    order_place(shop)
    deliver_all(amo_catalog)
    searches = len(fake.api_requests("GET", f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/elements"))

    order_place(shop, quantity=1)
    deliver_all(amo_catalog)

    assert len(fake.elements) == 1
    assert len(fake.api_requests("GET", f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/elements")) == searches
    assert sorted(fake.lead_products(lead_id)[shop.shirt.sku] for lead_id in fake.leads) == [1, 2]


def test_without_catalog_id_lines_stay_a_note_and_check_suggests_the_products_list(shop, amo, fake):
    order_place(shop)
    deliver_all(amo)
    result = connection_check(connection=amo)

    assert fake.elements == {}
    assert fake.links == {}
    assert f"список {PRODUCTS_CATALOG_ID}" in result.message


def test_check_refuses_a_catalog_id_that_is_not_in_the_account(amo, fake):
    amo.options = {**amo.options, "catalog_id": 404404}
    amo.save(update_fields=["options"])

    result = connection_check(connection=amo)

    assert not result.ok
    assert "404404" in result.message


# --- Покупатели ---------------------------------------------------------------------------------------


def test_registered_customer_becomes_a_contact_once(amo, fake):
    # when — покупатель зарегистрировался, потом outbox прислал событие ещё раз
    user = UserFactory(first_name="Ольга", last_name="Смирнова", phone="+79031112233", email="olga@example.ru")
    deliver_all(amo)
    redeliver(amo)

    # then
    (contact,) = fake.contacts.values()
    assert contact["name"] == "Ольга Смирнова"
    phones = [
        value["value"]
        for field in contact["custom_fields_values"]
        if field["field_code"] == "PHONE"
        for value in field["values"]
    ]
    assert phones == ["+79031112233"]
    mapped = ExternalId.objects.get(connection=amo, kind=ExternalKind.CUSTOMER, object_id=str(user.pk))
    assert int(mapped.external_id) == contact["id"]


def test_existing_contact_is_found_by_phone_in_another_format_and_updated(amo, fake):
    contact_id = fake.contact_add(name="Клиент", phone="8 (903) 111-22-33")

    UserFactory(first_name="Ольга", last_name="", phone="+79031112233", email="")
    deliver_all(amo)

    assert list(fake.contacts) == [contact_id]
    assert fake.contacts[contact_id]["name"] == "Ольга"


def test_changed_customer_adds_the_new_phone_and_keeps_the_managers_numbers(amo, fake):
    # given — контакт передан, менеджер дописал рабочий номер
    user = UserFactory(first_name="Ольга", phone="+79031112233", email="")
    deliver_all(amo)
    (contact_id,) = fake.contacts
    fake.contacts[contact_id]["custom_fields_values"][0]["values"].append({"value": "+74951234567"})

    # when — покупатель сменил телефон и имя у нас
    user.phone, user.first_name = "+79035556677", "Оля"
    user.save()
    deliver_all(amo)

    # then
    contact = fake.contacts[contact_id]
    phones = [value["value"] for value in contact["custom_fields_values"][0]["values"]]
    assert contact["name"] == "Оля"
    assert phones == ["+79031112233", "+74951234567", "+79035556677"]
    assert len(fake.contacts) == 1


def test_customer_without_phone_and_email_is_not_sent(amo, fake):
    UserFactory(first_name="Аноним", phone=None, email="")

    outcomes = deliver_all(amo)

    assert fake.contacts == {}
    assert fake.api_requests("POST", "/api/v4/contacts") == []
    assert outcomes  # событие доставлено (и закрыто), а не оставлено висеть


def test_sync_customers_off_sends_no_contacts(amo, fake):
    amo.options = {**amo.options, "sync_customers": False}
    amo.save(update_fields=["options"])

    UserFactory(first_name="Ольга", phone="+79031112233")
    deliver_all(amo)

    assert fake.contacts == {}


def test_contact_deleted_in_amocrm_is_created_again(amo, fake):
    user = UserFactory(first_name="Ольга", phone="+79031112233", email="")
    deliver_all(amo)
    fake.contacts.clear()  # менеджер удалил контакт

    user.first_name = "Оля"
    user.save()
    deliver_all(amo)

    (contact,) = fake.contacts.values()
    assert contact["name"] == "Оля"
    mapped = ExternalId.objects.get(connection=amo, kind=ExternalKind.CUSTOMER, object_id=str(user.pk))
    assert int(mapped.external_id) == contact["id"]
