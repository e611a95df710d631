"""Помощники тестов МоегоСклада: наполнение фейка, синхронизация, отправка вебхуков фейка в наш адрес."""

from urllib.parse import urlsplit

from django.test import Client

from integrations.core.sync import sync_run
from tests.integrations.moysklad.fake_moysklad import png_bytes


def catalog_seed(fake):
    """Каталог: группы «Одежда/Футболки», футболка с двумя модификациями, кружка, архивный товар, услуга, комплект."""
    clothes = fake.folder_add("Одежда")
    shirts = fake.folder_add("Футболки", parent=clothes)
    shirt = fake.product_add(
        "Футболка",
        folder=shirts,
        article="TS-1",
        prices={fake.retail: 129900, fake.wholesale: 90000},
        weight=0.2,
        images=[png_bytes()],
    )
    small = fake.variant_add(shirt, characteristics={"Размер": "S", "Цвет": "Белый"}, code="TS-1-S")
    large = fake.variant_add(
        shirt, characteristics={"Размер": "L", "Цвет": "Белый"}, code="TS-1-L", prices={fake.retail: 139950}
    )
    mug = fake.product_add(
        "Кружка", folder=clothes, article="MUG-1", prices={fake.retail: 49900}, ean13="4600000000008", volume=0.3
    )
    old = fake.product_add("Старая кружка", folder=clothes, article="MUG-0", prices={fake.retail: 10000}, archived=True)
    fake.service_add("Подарочная упаковка", prices={fake.retail: 5000})
    fake.bundle_add("Набор: футболка и кружка", prices={fake.retail: 170000})
    fake.stock_set(small, fake.store_main, 7, reserve=2)
    fake.stock_set(large, fake.store_main, 3)
    fake.stock_set(large, fake.store_spb, 4)
    fake.stock_set(mug, fake.store_main, 10.5)
    fake.pending_hooks.clear()
    return {"shirt": shirt, "small": small, "large": large, "mug": mug, "old": old, "folders": (clothes, shirts)}


def sync(connection, *, full=False):
    return sync_run(connection=connection, full=full)


def hook_sender(capture):
    """Функция отправки вебхуков фейка: POST в наш адрес через тестовый клиент, обработка сразу."""
    responses = []

    def send(url, body, request_id):
        path = urlsplit(url).path
        with capture(execute=True):
            responses.append(
                Client().post(
                    f"{path}?requestId={request_id}", data=body, content_type="application/json", REMOTE_ADDR="10.2.2.2"
                )
            )

    send.responses = responses
    return send


def deliver_all(connection):
    """Отправить все доставки подключения, которые можно взять сейчас (как проход воркера); вернуть исходы."""
    from integrations.core.outbox import deliveries_claim, delivery_send

    outcomes = []
    while True:
        claimed = [item for item in deliveries_claim(limit=50) if item.connection_id == connection.pk]
        if not claimed:
            return outcomes
        outcomes.extend(delivery_send(item) for item in claimed)


def redeliver(connection):
    """Повторить уже доставленные события (доставка «хотя бы раз» прислала их снова)."""
    from integrations.core.models import Delivery, DeliveryState

    Delivery.objects.filter(connection=connection).update(state=DeliveryState.PENDING, locked_until=None)
    return deliver_all(connection)


def synced_variant(connection, external_id):
    from commerce.catalog.models import Variant
    from integrations.core.models import ExternalId, ExternalKind

    pk = ExternalId.objects.get(connection=connection, kind=ExternalKind.VARIANT, external_id=external_id).object_id
    return Variant.objects.get(pk=pk)


def order_place(shop, lines, **contact):
    """Оформить заказ через API: ``lines`` — [(вариант, количество)]."""
    from commerce.orders.models import Order
    from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request

    cart = cart_create(region=shop.msk, lines=lines)
    payload = checkout_payload()
    payload["contact"] = {**payload["contact"], **contact}
    response = checkout_request(cart=cart, payload=payload)
    assert response.status_code == 201, response.content
    return Order.objects.get(number=response.json()["number"])
