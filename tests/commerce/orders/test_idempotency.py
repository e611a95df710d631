"""Idempotency-Key оформления: повтор — тот же ответ, другой запрос — 422, выполняющийся — 409."""

from datetime import timedelta

import pytest
from django.utils import timezone

from commerce.inventory.models import Stock
from commerce.orders.idempotency import idempotency_keys_purge, request_fingerprint
from commerce.orders.models import IdempotencyKey, IdempotencyState, Order
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request

pytestmark = pytest.mark.django_db


def test_repeated_checkout_with_same_key_returns_same_response_and_one_order(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 2)])
    first = checkout_request(cart=cart, key="key-00000001")
    second = checkout_request(cart=cart, key="key-00000001")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    assert Stock.objects.get(variant=shop.shirt).reserved == 2


def test_same_key_with_different_body_is_422(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    checkout_request(cart=cart, key="key-00000002")
    response = checkout_request(cart=cart, key="key-00000002", payload=checkout_payload(comment="другой"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_key_of_request_still_running_is_409(shop):
    # given: первый запрос с ключом занял его и ещё не закончил
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    payload = checkout_payload()
    IdempotencyKey.objects.create(
        scope=f"cart:{cart.token}",
        key="key-00000003",
        request_hash=request_fingerprint(payload),
        state=IdempotencyState.IN_PROGRESS,
    )
    # when
    response = checkout_request(cart=cart, key="key-00000003", payload=payload)
    # then
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_request_in_progress"
    assert not Order.objects.exists()


def test_key_abandoned_by_crashed_request_can_be_reused_after_stale_timeout(shop, settings):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    payload = checkout_payload()
    record = IdempotencyKey.objects.create(
        scope=f"cart:{cart.token}",
        key="key-00000004",
        request_hash=request_fingerprint(payload),
        state=IdempotencyState.IN_PROGRESS,
    )
    IdempotencyKey.objects.filter(pk=record.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.ORDERS_IDEMPOTENCY_STALE_SECONDS + 1)
    )
    response = checkout_request(cart=cart, key="key-00000004", payload=payload)
    assert response.status_code == 201
    assert IdempotencyKey.objects.get(pk=record.pk).order.number == response.json()["number"]


def test_failed_checkout_frees_key_for_retry(shop):
    # given: первая попытка падает на нехватке товара
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 9)])
    assert checkout_request(cart=cart, key="key-00000005").status_code == 409
    # when: товар довезли, тот же ключ повторён
    Stock.objects.filter(variant=shop.shirt).update(quantity=20)
    response = checkout_request(cart=cart, key="key-00000005")
    # then
    assert response.status_code == 201


def test_same_key_of_different_buyers_does_not_collide(shop):
    first = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    second = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    numbers = {checkout_request(cart=cart, key="shared-key-1").json()["number"] for cart in (first, second)}
    assert len(numbers) == 2


@pytest.mark.parametrize("key", ["short", "ключ-кириллицей", "x" * 256])
def test_malformed_key_is_rejected(shop, key):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response = checkout_request(cart=cart, key=key)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_invalid"


def test_keys_are_kept_for_ttl_and_purged_after(shop, settings):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    checkout_request(cart=cart, key="key-00000006")
    now = timezone.now()
    assert idempotency_keys_purge(now=now + timedelta(hours=settings.ORDERS_IDEMPOTENCY_KEY_TTL_HOURS - 1)) == 0
    assert IdempotencyKey.objects.count() == 1
    assert idempotency_keys_purge(now=now + timedelta(hours=settings.ORDERS_IDEMPOTENCY_KEY_TTL_HOURS, minutes=1)) == 1
