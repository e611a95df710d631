"""Вебхуки МоегоСклада: каждое событие перечитывается по ссылке, статус заказа — через машину статусов."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from commerce.inventory.models import Stock
from commerce.orders.models import Order, OrderStatusChange
from integrations.core.models import InboundWebhook, SyncRun, WebhookState
from integrations.core.services import connection_check
from integrations.moysklad.mapping import moment
from tests.integrations.helpers import deliver_all, order_place
from tests.integrations.moysklad.fake_moysklad import png_bytes
from tests.integrations.moysklad.helpers import catalog_seed, gallery_of, hook_sender, sync, synced_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooked(ms, fake):
    """Каталог загружен, вебхуки зарегистрированы «Проверить соединение»."""
    ids = catalog_seed(fake)
    sync(ms, full=True)
    assert connection_check(connection=ms).ok
    return ids


def last_run(connection):
    return SyncRun.objects.filter(connection=connection).order_by("-pk").first()


def post(ms, capture, body, request_id="req-1"):
    send = hook_sender(capture)
    send(f"http://testserver/integrations/hooks/ms/{ms.webhook_token}/", body, request_id)
    return send.responses[-1]


def event_body(kind, href, action="UPDATE"):
    return json.dumps({"events": [{"meta": {"type": kind, "href": href}, "action": action, "accountId": "acc-1"}]})


def test_product_changed_in_moysklad_is_refetched_and_applied(ms, fake, hooked, django_capture_on_commit_callbacks):
    # given: в МоёмСкладе переименовали кружку
    fake.change("product", hooked["mug"], name="Кружка синяя")
    send = hook_sender(django_capture_on_commit_callbacks)

    # when: МойСклад шлёт вебхук (без данных — только ссылку)
    assert fake.webhooks_send(send) == 1

    # then: товар перечитан по ссылке и обновлён
    assert send.responses[0].status_code == 202
    assert synced_variant(ms, hooked["mug"]).product.name == "Кружка синяя"
    assert fake.count("GET", f"/entity/product/{hooked['mug']}") >= 1
    assert InboundWebhook.objects.get(connection=ms).state == WebhookState.PROCESSED


def test_new_variant_and_deleted_product_arrive_by_webhooks(ms, fake, hooked, django_capture_on_commit_callbacks):
    new = fake.variant_add(hooked["shirt"], characteristics={"Размер": "M", "Цвет": "Белый"}, code="TS-1-M")
    fake.delete("product", hooked["mug"])

    fake.webhooks_send(hook_sender(django_capture_on_commit_callbacks))

    variant = synced_variant(ms, new)
    assert variant.product_id == synced_variant(ms, hooked["small"]).product_id
    assert synced_variant(ms, hooked["mug"]).product.is_active is False


def test_new_variant_with_an_image_joins_the_product_gallery_by_webhook(
    ms, fake, hooked, django_capture_on_commit_callbacks
):
    # given: в МоёмСкладе у футболки появилась модификация M со своей картинкой
    fake.variant_add(
        hooked["shirt"], characteristics={"Размер": "M", "Цвет": "Белый"}, code="TS-1-M", images=[png_bytes((1, 2, 3))]
    )

    # when
    fake.webhooks_send(hook_sender(django_capture_on_commit_callbacks))

    # then: картинка модификации — в галерее товара после его картинки, названа по модификации
    gallery = gallery_of(ms, hooked["shirt"])
    assert len(gallery) == 2 and gallery[1] == "Футболка (M, Белый)"
    assert fake.downloads == 2


def test_webhook_for_an_unknown_entity_is_recorded_and_changes_nothing(
    ms, fake, hooked, django_capture_on_commit_callbacks
):
    # given: событие о товаре, которого в МоёмСкладе нет
    href = f"{fake.base}/entity/product/00000000-0000-0000-0000-0000000000aa"

    response = post(ms, django_capture_on_commit_callbacks, event_body("product", href))

    # then: принят, обработан, в журнале — пропуск с причиной; ничего не создано
    assert response.status_code == 202
    assert InboundWebhook.objects.get(connection=ms).state == WebhookState.PROCESSED
    run = last_run(ms)
    assert run.skipped == 1 and "404" in run.errors[0]["message"]


def test_event_pointing_outside_the_api_is_not_fetched(ms, fake, hooked, django_capture_on_commit_callbacks):
    before = len(fake.requests)

    post(ms, django_capture_on_commit_callbacks, event_body("product", "http://evil.example/entity/product/x"))

    assert len(fake.requests) == before
    assert "не в API" in last_run(ms).errors[0]["message"]


def test_repeated_request_id_is_processed_once(ms, fake, hooked, django_capture_on_commit_callbacks):
    body = event_body("product", f"{fake.base}/entity/product/{hooked['mug']}")

    first = post(ms, django_capture_on_commit_callbacks, body, request_id="same")
    second = post(ms, django_capture_on_commit_callbacks, body, request_id="same")

    assert (first.status_code, second.status_code) == (202, 200)
    assert InboundWebhook.objects.filter(connection=ms).count() == 1


def test_stock_webhook_rereads_the_short_report(ms, fake, hooked, django_capture_on_commit_callbacks):
    # given: остаток кружки изменился
    since = moment(timezone.now() - timedelta(minutes=1))
    fake.stock_set(hooked["mug"], fake.store_main, 3)

    post(ms, django_capture_on_commit_callbacks, fake.stock_webhook_body(since))

    mug = synced_variant(ms, hooked["mug"])
    assert Stock.objects.get(variant=mug, warehouse__code="msk-1").quantity == 3


def order_pushed(shop, ms, fake, variant):
    """Оформить заказ и передать его в МойСклад; вернуть (наш заказ, id заказа покупателя МоегоСклада)."""
    order = order_place(shop, [(variant, 1)])
    deliver_all(ms)
    (ms_order,) = fake.entities["customerorder"].values()
    return order, ms_order["id"]


def state_set(fake, ms_order_id, name):
    """Сменить статус заказа покупателя «в интерфейсе МоегоСклада» (вебхук копится в фейке)."""
    fake.change("customerorder", ms_order_id, state={"meta": fake.states[fake.state_id(name)]["meta"]})


def test_state_changed_in_moysklad_moves_the_order_through_the_status_machine(
    shop, ms, fake, hooked, django_capture_on_commit_callbacks
):
    # given: заказ передан в МойСклад
    order, ms_order_id = order_pushed(shop, ms, fake, synced_variant(ms, hooked["mug"]))

    # when: менеджер подтвердил заказ в МоёмСкладе
    state_set(fake, ms_order_id, "Подтвержден")
    fake.webhooks_send(hook_sender(django_capture_on_commit_callbacks))

    # then: заказ «собирается» (переход по таблице машины статусов, с историей)
    order.refresh_from_db()
    assert order.status == "assembling"
    change = OrderStatusChange.objects.filter(order=order).last()
    assert (change.to_status, "МоёмСкладе" in change.comment) == ("assembling", True)


def test_forbidden_transition_from_moysklad_is_recorded_not_forced(
    shop, ms, fake, hooked, django_capture_on_commit_callbacks
):
    # given: новый заказ, а в МоёмСкладе его сразу «отгрузили» (new → shipped машина не разрешает)
    order, ms_order_id = order_pushed(shop, ms, fake, synced_variant(ms, hooked["mug"]))
    state_set(fake, ms_order_id, "Отгружен")

    fake.webhooks_send(hook_sender(django_capture_on_commit_callbacks))

    assert Order.objects.get(pk=order.pk).status == "new"
    run = last_run(ms)
    assert run.failed == 1 and "Нельзя перевести" in run.errors[0]["message"]


@pytest.mark.django_db(transaction=True)
def test_fake_moysklad_posts_webhooks_over_http_to_the_running_site(shop, ms, fake, live_server, settings):
    # given: адрес сайта — настоящий сервер теста, вебхуки зарегистрированы на него
    import requests

    settings.WAGTAILAPI_BASE_URL = live_server.url
    ids = catalog_seed(fake)
    sync(ms, full=True)
    assert connection_check(connection=ms).ok
    fake.change("product", ids["mug"], name="Кружка по HTTP")

    # when: МойСклад шлёт POST на адрес вебхука
    statuses = []
    fake.webhooks_send(
        lambda url, body, request_id: statuses.append(
            requests.post(
                f"{url}?requestId={request_id}",
                data=body.encode(),
                headers={"Content-Type": "application/json"},
                timeout=10,
            ).status_code
        )
    )

    # then: принят (202) и обработан — товар перечитан из API
    assert statuses == [202]
    assert synced_variant(ms, ids["mug"]).product.name == "Кружка по HTTP"
