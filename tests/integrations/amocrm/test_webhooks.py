"""Вебхуки amoCRM: этап и ответственный — обратно в заказ через машину статусов, подделки без эффекта."""

import pytest

from commerce.orders.models import Order, OrderStatusChange
from integrations.amocrm.mapping import form_parse, webhook_lead_ids
from integrations.amocrm.models import AmoDeal
from integrations.core.models import InboundWebhook, SyncRun, SyncState, WebhookState
from tests.integrations.amocrm.fake_amocrm import STAGE_ASSEMBLING, STAGE_LOST, STAGE_NEW, STAGE_PAID
from tests.integrations.amocrm.helpers import hook_post, lead_webhook, order_place
from tests.integrations.helpers import deliver_all


@pytest.fixture
def placed(shop, amo, fake):
    """Заказ, уже ставший сделкой amoCRM: (заказ, id сделки)."""
    order = order_place(shop)
    deliver_all(amo)
    (lead_id,) = fake.leads
    return order, lead_id


def post_and_process(connection, body, capture, **kwargs):
    with capture(execute=True):
        return hook_post(connection, body, **kwargs)


def test_form_body_is_parsed_into_nested_documents():
    body = (
        "leads%5Bstatus%5D%5B0%5D%5Bid%5D=25399013&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142"
        "&account%5Bsubdomain%5D=myshop"
    )

    document = form_parse(body)

    assert document == {
        "leads": {"status": [{"id": "25399013", "status_id": "142"}]},
        "account": {"subdomain": "myshop"},
    }
    assert webhook_lead_ids(document) == [25399013]


@pytest.mark.django_db
def test_lead_moved_to_the_cancelled_stage_cancels_the_order_through_the_status_machine(
    placed, amo, fake, django_capture_on_commit_callbacks
):
    # given: менеджер перевёл сделку в «Закрыто и не реализовано»
    order, lead_id = placed
    fake.lead_move(lead_id, status_id=STAGE_LOST)

    # when
    response = post_and_process(amo, lead_webhook(lead_id, status_id=STAGE_LOST), django_capture_on_commit_callbacks)

    # then: заказ отменён машиной статусов (с историей), вебхук обработан, запись журнала — успешно
    assert response.status_code == 202
    order.refresh_from_db()
    assert order.status == "cancelled"
    change = OrderStatusChange.objects.filter(order=order).last()
    assert change.to_status == "cancelled"
    assert "amoCRM" in change.comment
    assert InboundWebhook.objects.get(connection=amo).state == WebhookState.PROCESSED
    run = SyncRun.objects.get(connection=amo, direction="pull")
    assert (run.state, run.updated) == (SyncState.OK, 1)
    assert AmoDeal.objects.get(order=order).status_id == STAGE_LOST


@pytest.mark.django_db
def test_forged_webhook_is_checked_against_the_api_and_changes_nothing(
    placed, amo, fake, django_capture_on_commit_callbacks
):
    # given: кто-то узнал адрес и шлёт «сделка отменена», а в amoCRM она на этапе «новый»
    order, lead_id = placed
    assert fake.leads[lead_id]["status_id"] == STAGE_NEW

    post_and_process(amo, lead_webhook(lead_id, status_id=STAGE_LOST), django_capture_on_commit_callbacks)

    # then: перечитанная сделка не отменена — заказ тоже
    order.refresh_from_db()
    assert order.status == "new"
    assert fake.api_requests("GET", "/api/v4/leads")


@pytest.mark.django_db
def test_webhook_of_another_account_is_rejected(placed, amo, fake, django_capture_on_commit_callbacks):
    order, lead_id = placed
    fake.lead_move(lead_id, status_id=STAGE_LOST)

    response = post_and_process(
        amo, lead_webhook(lead_id, status_id=STAGE_LOST, subdomain="stranger"), django_capture_on_commit_callbacks
    )

    assert response.status_code == 403
    assert InboundWebhook.objects.get().state == WebhookState.REJECTED
    order.refresh_from_db()
    assert order.status == "new"


@pytest.mark.django_db
def test_webhook_with_a_wrong_token_is_not_found(placed, amo, fake, django_capture_on_commit_callbacks):
    order, lead_id = placed
    fake.lead_move(lead_id, status_id=STAGE_LOST)

    response = post_and_process(
        amo, lead_webhook(lead_id, status_id=STAGE_LOST), django_capture_on_commit_callbacks, token="guess"
    )

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == "new"


@pytest.mark.django_db
def test_responsible_user_change_comes_back_with_the_managers_name(
    placed, amo, fake, django_capture_on_commit_callbacks
):
    order, lead_id = placed
    fake.users[555] = {"id": 555, "name": "Пётр Старший"}
    fake.lead_move(lead_id, responsible_user_id=555)

    post_and_process(
        amo, lead_webhook(lead_id, responsible_user_id=555, action="responsible"), django_capture_on_commit_callbacks
    )

    deal = AmoDeal.objects.get(order=order)
    assert (deal.lead_id, deal.responsible_user_id, deal.responsible_name) == (lead_id, 555, "Пётр Старший")
    order.refresh_from_db()
    assert order.status == "new"


@pytest.mark.django_db
def test_transition_not_allowed_is_recorded_as_an_error_of_the_run(
    placed, amo, fake, django_capture_on_commit_callbacks
):
    # given: заказ уже отменён в магазине, а менеджер тащит сделку в «Собирается»
    from commerce.orders.services import order_status_change

    order, lead_id = placed
    order_status_change(order=order, to_status="cancelled")
    fake.lead_move(lead_id, status_id=STAGE_ASSEMBLING)

    post_and_process(amo, lead_webhook(lead_id, status_id=STAGE_ASSEMBLING), django_capture_on_commit_callbacks)

    assert Order.objects.get(pk=order.pk).status == "cancelled"
    run = SyncRun.objects.get(connection=amo, direction="pull")
    assert run.state == SyncState.ERRORS
    assert run.errors == [
        {"object": f"заказ {order.number}", "message": "Нельзя перевести заказ из статуса «отменён» в «собирается»."}
    ]
    assert "Нельзя перевести" in InboundWebhook.objects.get(connection=amo).error


@pytest.mark.django_db
def test_paid_stage_does_not_mark_the_order_paid(placed, amo, fake, django_capture_on_commit_callbacks):
    order, lead_id = placed
    fake.lead_move(lead_id, status_id=STAGE_PAID)

    post_and_process(amo, lead_webhook(lead_id, status_id=STAGE_PAID), django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.status == "new"
    assert order.paid_at is None
    assert (
        "оплату подтверждает только платёжная система"
        in SyncRun.objects.get(connection=amo, direction="pull").errors[0]["message"]
    )


@pytest.mark.django_db
def test_manual_sync_applies_leads_changed_since_the_last_run(placed, amo, fake):
    from django.core.management import call_command

    order, lead_id = placed
    fake.lead_move(lead_id, status_id=STAGE_ASSEMBLING)

    call_command("integrations", "sync", amo.code)

    order.refresh_from_db()
    assert order.status == "assembling"
    assert SyncRun.objects.get(connection=amo, direction="pull").updated == 1


@pytest.mark.django_db
def test_webhook_about_many_leads_is_reread_in_batches_of_fifty(amo, fake, django_capture_on_commit_callbacks):
    from urllib.parse import urlencode

    fields = {f"leads[update][{index}][id]": 5000 + index for index in range(60)}
    fields["account[subdomain]"] = "myshop"

    post_and_process(amo, urlencode(fields), django_capture_on_commit_callbacks)

    reads = fake.api_requests("GET", "/api/v4/leads")
    assert len(reads) == 2
    assert SyncRun.objects.get(connection=amo, direction="pull").state == SyncState.OK
