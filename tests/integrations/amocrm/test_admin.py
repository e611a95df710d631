"""Сделки amoCRM в админке: только по праву модели и только просмотр; токены не видны и не в журналах."""

import logging

import pytest

from integrations.amocrm.models import AmoDeal
from integrations.core.services import connection_check
from tests.integrations.amocrm.conftest import secrets_of
from tests.integrations.amocrm.helpers import order_place
from tests.integrations.core.test_admin import staff_with
from tests.integrations.helpers import deliver_all

DEALS = "/admin/integrations/amocrm-deal/"


@pytest.fixture
def deal(shop, amo, fake):
    order = order_place(shop)
    deliver_all(amo)
    (lead_id,) = fake.leads
    return AmoDeal.objects.create(
        connection=amo, order=order, lead_id=lead_id, status_id=1, responsible_user_id=7, responsible_name="Мария"
    )


@pytest.mark.django_db
def test_deals_are_listed_only_with_the_view_permission_and_cannot_be_edited(client, deal):
    assert staff_with(client).get(DEALS).status_code == 302

    staff_with(client, "view_amodeal")
    listing = client.get(DEALS)
    edit = client.get(f"{DEALS}edit/{deal.pk}/")

    assert listing.status_code == 200
    assert deal.order.number in listing.content.decode()
    assert "Мария" in listing.content.decode()
    assert edit.status_code == 302


@pytest.mark.django_db
def test_tokens_are_never_shown_in_the_connection_form_or_written_to_logs(client, amo, fake, shop, caplog):
    with caplog.at_level(logging.DEBUG):
        connection_check(connection=amo)
        order_place(shop)
        deliver_all(amo)
    secrets = secrets_of(amo)

    staff_with(client, "view_connection", "change_connection")
    page = client.get(f"/admin/integrations/connection/edit/{amo.pk}/").content.decode()

    ours = "\n".join(record.getMessage() for record in caplog.records if record.name != "werkzeug")
    for name in ("access_token", "refresh_token", "client_secret"):
        assert secrets[name] not in page
        assert secrets[name] not in ours


@pytest.mark.django_db
def test_order_manager_role_sees_deals_and_content_editor_does_not(client, deal):
    from django.contrib.auth.models import Group

    from staff import roles
    from tests.factories.accounts import UserFactory

    def listing_as(role):
        user = UserFactory(is_staff=True, is_superuser=False)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return client.get(DEALS)

    # when
    manager, editor = listing_as(roles.ORDER_MANAGER), listing_as(roles.CONTENT_EDITOR)

    # then
    assert manager.status_code == 200
    assert deal.order.number in manager.content.decode()
    assert editor.status_code == 302
