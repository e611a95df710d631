"""Помощники тестов МоегоСклада: наполнение фейка, синхронизация, отправка вебхуков фейка в наш адрес."""

import re
from urllib.parse import urlsplit

from django.test import Client

from integrations.core.sync import sync_run
from tests.integrations.moysklad.fake_moysklad import FakeMoysklad, png_bytes


def fake_serve(httpserver, *, prefix="", id_seed=0):
    """Поднять фейковый аккаунт МоегоСклада на пути ``<prefix>/api/remap/1.2`` сервера теста.

    Свой ``prefix`` и ``id_seed`` — второй аккаунт (свои UUID) на том же сервере.
    """
    account = FakeMoysklad(base=httpserver.url_for(f"{prefix}/api/remap/1.2"), id_seed=id_seed)
    httpserver.expect_request(re.compile(f"^{prefix}/api/remap/")).respond_with_handler(account)
    return account


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


def synced_variant(connection, external_id):
    from commerce.catalog.models import Variant
    from integrations.core.models import ExternalId, ExternalKind

    pk = ExternalId.objects.get(connection=connection, kind=ExternalKind.VARIANT, external_id=external_id).object_id
    return Variant.objects.get(pk=pk)


def gallery_of(connection, product_id):
    """Названия изображений галереи товара МоегоСклада по порядку."""
    from commerce.catalog.models import ProductImage
    from integrations.core.models import ExternalId, ExternalKind

    pk = ExternalId.objects.get(connection=connection, kind=ExternalKind.PRODUCT, external_id=product_id).object_id
    return list(
        ProductImage.objects.filter(product_id=pk).order_by("sort_order").values_list("image__title", flat=True)
    )
