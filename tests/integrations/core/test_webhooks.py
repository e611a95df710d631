"""Входящие вебхуки: сохранение до обработки, повтор по id события, подпись, токен, предел тела, лимит по IP."""

import json
import threading

import pytest
from django.test import Client

from integrations.core.models import ExternalId, InboundWebhook, WebhookState
from integrations.core.registry import System, system_register, system_unregister
from integrations.core.signing import hmac_signature, hmac_signature_valid
from integrations.core.sync import external_id_set
from tests.commerce.orders.helpers import run_concurrently
from tests.factories.integrations import ConnectionFactory

SIGNING_KEY = "inbound-signing-key"
processed = []
processed_lock = threading.Lock()


class SignedTestSystem(System):
    """Система для тестов: подпись HMAC в X-Signature, id события в теле, обработка пишет сопоставление."""

    code = "signed-test"
    name = "Тестовая система с подписью"
    secret_fields = {"signing_secret": "Ключ подписи"}

    def webhook_verify(self, *, connection, request, body):
        secret = connection.secrets_get().get("signing_secret", "")
        return hmac_signature_valid(secret=secret, body=body, signature=request.headers.get("X-Signature", ""))

    def webhook_event_id(self, *, connection, request, body):
        return json.loads(body)["event_id"]

    def webhook_process(self, *, connection, inbound):
        document = json.loads(inbound.body)
        with processed_lock:
            processed.append(document["event_id"])
        external_id_set(connection=connection, kind="customer", external_id=document["contact"], object_id="1")


@pytest.fixture(autouse=True)
def signed_system():
    system_register(SignedTestSystem)
    processed.clear()
    yield
    system_unregister(SignedTestSystem.code)


@pytest.fixture
def hook_connection(db):
    return ConnectionFactory(system="signed-test", code="crm", secrets={"signing_secret": SIGNING_KEY})


def hook_post(connection, body, *, signature=None, token=None, client=None, ip="10.0.0.1"):
    client = client or Client()
    signature = signature if signature is not None else hmac_signature(secret=SIGNING_KEY, body=body)
    return client.post(
        f"/integrations/hooks/{connection.code}/{token or connection.webhook_token}/",
        data=body,
        content_type="application/json",
        HTTP_X_SIGNATURE=signature,
        REMOTE_ADDR=ip,
    )


BODY = json.dumps({"event_id": "evt-1", "contact": "c-77"}).encode()


@pytest.mark.postgres_only(reason="одновременные записи из потоков: SQLite в памяти блокирует таблицу целиком")
@pytest.mark.django_db(transaction=True)
def test_the_same_webhook_five_times_concurrently_is_processed_once(hook_connection):
    # when: пять одинаковых запросов одновременно
    responses = run_concurrently([lambda: hook_post(hook_connection, BODY) for _ in range(5)])

    # then: все ответили 2xx, сохранён и обработан один
    assert sorted(response.status_code for response in responses) == [200, 200, 200, 200, 202]
    assert InboundWebhook.objects.filter(connection=hook_connection).count() == 1
    inbound = InboundWebhook.objects.get()
    assert inbound.state == WebhookState.PROCESSED
    assert inbound.body == BODY.decode()
    assert processed == ["evt-1"]
    assert ExternalId.objects.filter(connection=hook_connection, external_id="c-77").count() == 1


@pytest.mark.django_db
def test_bad_signature_is_rejected_stored_without_body_and_has_no_effect(
    hook_connection, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = hook_post(hook_connection, BODY, signature="sha256=" + "0" * 64)

    assert response.status_code == 403
    assert response.json()["code"] == "webhook_bad_signature"
    rejected = InboundWebhook.objects.get()
    assert rejected.state == WebhookState.REJECTED
    assert rejected.body == ""
    assert len(rejected.body_prefix) <= 32
    assert len(rejected.body_sha256) == 64
    assert processed == []
    assert not ExternalId.objects.exists()


@pytest.mark.django_db
def test_wrong_token_is_not_found_and_has_no_effect(hook_connection, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = hook_post(hook_connection, BODY, token="guessed-token")

    assert response.status_code == 404
    assert InboundWebhook.objects.get().state == WebhookState.REJECTED
    assert processed == []


@pytest.mark.django_db
def test_rejected_webhook_does_not_block_the_genuine_one_with_the_same_event_id(
    hook_connection, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hook_post(hook_connection, BODY, signature="sha256=bad")
        genuine = hook_post(hook_connection, BODY)

    assert genuine.status_code == 202
    assert processed == ["evt-1"]


@pytest.mark.django_db
def test_body_over_the_limit_is_refused(hook_connection, settings):
    settings.INTEGRATIONS_WEBHOOK_MAX_BYTES = 100

    response = hook_post(hook_connection, json.dumps({"event_id": "big", "contact": "x" * 200}).encode())

    assert response.status_code == 413
    assert not InboundWebhook.objects.exists()


@pytest.mark.django_db
def test_requests_from_one_ip_are_throttled(hook_connection, settings):
    settings.INTEGRATIONS_WEBHOOK_RATE_PER_MINUTE = 3

    statuses = [hook_post(hook_connection, BODY, ip="10.9.9.9").status_code for _ in range(4)]
    other_ip = hook_post(hook_connection, BODY, ip="10.9.9.8").status_code

    assert statuses[-1] == 429
    assert 429 not in statuses[:3]
    assert other_ip != 429


@pytest.mark.django_db
def test_unknown_connection_is_not_found():
    response = Client().post("/integrations/hooks/nope/token/", data=b"{}", content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
