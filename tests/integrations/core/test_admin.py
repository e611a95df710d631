"""Подключения в Wagtail admin: секреты не показываются, «Проверить соединение», права моделей, панель."""

import logging

import pytest
from django.contrib.auth.models import Permission

from integrations.core.models import Connection, Delivery, DeliveryState
from tests.factories.accounts import UserFactory
from tests.factories.integrations import ConnectionFactory

pytestmark = pytest.mark.django_db

SECRET = "very-secret-signing-key-42"


def staff_with(client, *codenames):
    """Войти сотрудником без суперправ с правом входа в админку и перечисленными правами."""
    user = UserFactory(is_staff=False, is_superuser=False)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return client


def test_secret_is_never_rendered_in_the_admin_form(client):
    connection = ConnectionFactory(secrets={"signing_secret": SECRET})
    staff_with(client, "view_connection", "change_connection")

    edit = client.get(f"/admin/integrations/connection/edit/{connection.pk}/")
    listing = client.get("/admin/integrations/connection/")

    assert edit.status_code == 200
    assert "задан" in edit.content.decode()
    assert SECRET not in edit.content.decode()
    assert connection.secrets_encrypted not in edit.content.decode()
    assert SECRET not in listing.content.decode()


def test_saving_the_form_with_an_empty_secret_keeps_it_and_a_new_value_replaces_it(client):
    connection = ConnectionFactory(secrets={"signing_secret": SECRET}, base_url="http://127.0.0.1:9/hook")
    staff_with(client, "view_connection", "change_connection")
    form = {"system": "webhook", "code": connection.code, "base_url": connection.base_url, "options": "{}"}

    client.post(f"/admin/integrations/connection/edit/{connection.pk}/", {**form, "enabled": "on"})
    kept = Connection.objects.get(pk=connection.pk).secrets_get()
    client.post(
        f"/admin/integrations/connection/edit/{connection.pk}/",
        {**form, "enabled": "on", "secret__webhook__signing_secret": "new-secret-value"},
    )

    assert kept == {"signing_secret": SECRET}
    assert Connection.objects.get(pk=connection.pk).secrets_get() == {"signing_secret": "new-secret-value"}


def test_check_connection_calls_the_receiver_and_says_plainly_what_is_wrong(client, httpserver, caplog):
    # given: получатель отвечает 401
    httpserver.expect_request("/hook", method="POST").respond_with_data("no", status=401)
    connection = ConnectionFactory(secrets={"signing_secret": SECRET}, base_url=httpserver.url_for("/hook"))
    staff_with(client, "view_connection", "change_connection")

    # when
    with caplog.at_level(logging.DEBUG):
        response = client.post(f"/admin/integrations/check/{connection.pk}/", follow=True)

    # then
    text = response.content.decode()
    assert response.status_code == 200
    assert "Неверный логин, пароль или токен" in text
    assert len(httpserver.log) == 1
    assert httpserver.log[0][0].headers["X-Megashop-Signature"].startswith("sha256=")
    assert SECRET not in text
    assert SECRET not in caplog.text


def test_check_connection_reports_no_network_for_a_closed_port(client):
    connection = ConnectionFactory(base_url="http://127.0.0.1:9/hook")
    staff_with(client, "view_connection", "change_connection")

    response = client.post(f"/admin/integrations/check/{connection.pk}/")

    assert "Нет соединения с системой" in response.content.decode()


def test_staff_flag_alone_does_not_open_connections_or_check(client):
    connection = ConnectionFactory()
    user = UserFactory(is_staff=True, is_superuser=False)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    assert client.get("/admin/integrations/connection/").status_code == 302
    assert client.post(f"/admin/integrations/check/{connection.pk}/").status_code == 302


def test_retry_puts_a_dead_delivery_back_in_the_queue(client, django_capture_on_commit_callbacks):
    from integrations.core.outbox import outbox_event_add

    connection = ConnectionFactory()
    event = outbox_event_add(kind="order.paid", object_type="order", object_id=1, payload={})
    Delivery.objects.filter(event=event).update(state=DeliveryState.DEAD, attempts=12)
    delivery = Delivery.objects.get(event=event, connection=connection)
    staff_with(client, "view_delivery", "change_delivery")

    page = client.get(f"/admin/integrations/retry/{delivery.pk}/")
    client.post(f"/admin/integrations/retry/{delivery.pk}/")

    delivery.refresh_from_db()
    assert page.status_code == 200
    assert delivery.state == DeliveryState.PENDING
    assert delivery.attempts == 0


def test_dashboard_panel_shows_stuck_events_only_to_users_with_the_permission(client):
    from integrations.core.outbox import outbox_event_add

    connection = ConnectionFactory(code="crm-main")
    event = outbox_event_add(kind="order.paid", object_type="order", object_id=1, payload={})
    Delivery.objects.filter(event=event).update(state=DeliveryState.DEAD)

    staff_with(client, "view_connection")
    with_perm = client.get("/admin/").content.decode()
    staff_with(client)
    without_perm = client.get("/admin/").content.decode()

    assert connection.code in with_perm
    assert "события застряли" in with_perm
    assert connection.code not in without_perm
