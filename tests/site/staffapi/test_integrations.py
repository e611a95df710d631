"""Интеграции в API сотрудников: подключения с состоянием, журнал синхронизаций, застрявшие события, «Повторить»."""

import pytest

from integrations.core.models import Delivery, DeliveryState, SyncRun, SyncState
from integrations.core.outbox import outbox_event_add
from staff import roles
from staffapi.models import StaffAction
from tests.factories.integrations import ConnectionFactory
from tests.site.staffapi.conftest import BASE, session_client, staff_in_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    return session_client(staff_in_group(roles.ADMINISTRATOR))


def _dead_delivery(connection, object_id):
    event = outbox_event_add(kind="order.paid", object_type="order", object_id=object_id, payload={})
    Delivery.objects.filter(event=event, connection=connection).update(
        state=DeliveryState.DEAD, attempts=12, last_error="HTTP 500"
    )
    return Delivery.objects.get(event=event, connection=connection)


def test_connections_show_state_last_run_and_stuck_count(admin_client):
    # given
    crm = ConnectionFactory(code="crm-main")
    ConnectionFactory(code="erp-main")
    SyncRun.objects.create(connection=crm, direction="push", state=SyncState.ERRORS, failed=2)
    _dead_delivery(crm, 1)

    # when
    response = admin_client.get(f"{BASE}integrations/connections/")

    # then
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert rows["crm-main"]["state"] == "stuck"
    assert rows["crm-main"]["stuck"] >= 1
    assert rows["crm-main"]["last_run"]["state"] == "errors"
    assert rows["erp-main"]["state"] in ("ok", "stuck")
    assert rows["erp-main"]["last_run"] is None


def test_sync_runs_filter_by_connection_and_unknown_code_is_404(admin_client):
    crm, erp = ConnectionFactory(code="crm-main"), ConnectionFactory(code="erp-main")
    SyncRun.objects.create(connection=crm, direction="push", state=SyncState.OK, created=3)
    SyncRun.objects.create(connection=erp, direction="pull", state=SyncState.FAILED)

    crm_runs = admin_client.get(f"{BASE}integrations/runs/?connection=crm-main").json()
    missing = admin_client.get(f"{BASE}integrations/runs/?connection=nope")

    assert [row["connection"] for row in crm_runs["results"]] == ["crm-main"]
    assert crm_runs["results"][0]["created"] == 3
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_stuck_list_runs_constant_queries(admin_client, django_assert_max_num_queries):
    connection = ConnectionFactory(code="crm-main")
    _dead_delivery(connection, 1)
    with django_assert_max_num_queries(8) as small:
        admin_client.get(f"{BASE}integrations/stuck/")
    for object_id in range(2, 30):
        _dead_delivery(connection, object_id)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(f"{BASE}integrations/stuck/")

    assert response.json()["count"] == 29
    assert response.json()["results"][0]["kind"] == "order.paid"


def test_retry_puts_stuck_deliveries_back_and_writes_the_audit(admin_client):
    # given
    connection = ConnectionFactory(code="crm-main")
    dead, other = _dead_delivery(connection, 1), _dead_delivery(connection, 2)

    # when
    response = admin_client.post(f"{BASE}integrations/stuck/retry/", {"ids": [dead.pk]}, format="json")

    # then
    assert response.status_code == 200, response.json()
    assert response.json() == {"retried": 1}
    dead.refresh_from_db()
    other.refresh_from_db()
    assert (dead.state, dead.attempts) == (DeliveryState.PENDING, 0)
    assert other.state == DeliveryState.DEAD
    action = StaffAction.objects.get(action="integrations.retry")
    assert action.before == {"deliveries": [dead.pk]}
    assert action.after == {"retried": 1}


def test_retry_by_connection_skips_delivered_ones(admin_client):
    connection = ConnectionFactory(code="crm-main")
    _dead_delivery(connection, 1)
    delivered = _dead_delivery(connection, 2)
    Delivery.objects.filter(pk=delivered.pk).update(state=DeliveryState.DELIVERED)

    response = admin_client.post(f"{BASE}integrations/stuck/retry/", {"connection": "crm-main"}, format="json")
    by_ids = admin_client.post(f"{BASE}integrations/stuck/retry/", {"ids": [delivered.pk]}, format="json")

    assert response.json() == {"retried": 1}
    assert by_ids.json() == {"retried": 0}
    delivered.refresh_from_db()
    assert delivered.state == DeliveryState.DELIVERED


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": [1], "connection": "crm-main"}, {"ids": []}, {"ids": ["x"]}],
    ids=["nothing", "both", "empty-ids", "bad-id"],
)
def test_retry_needs_exactly_one_of_ids_or_connection(admin_client, body):
    response = admin_client.post(f"{BASE}integrations/stuck/retry/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_retry_of_unknown_connection_is_404(admin_client):
    response = admin_client.post(f"{BASE}integrations/stuck/retry/", {"connection": "nope"}, format="json")

    assert response.status_code == 404
