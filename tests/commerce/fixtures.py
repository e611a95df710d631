"""Фикстуры, общие для корзины, заказов и платежей: задачи Celery сразу, SMS — в память.

Подключаются в conftest.py папок импортом (pytest регистрирует импортированные фикстуры).
"""

import pytest

from integrations.sms.backends import locmem


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    """Выполнять задачи Celery в процессе (фикстура celery_worker переключает на настоящий воркер)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Отправленные SMS — в списке в памяти вместо шлюза."""
    settings.SMS_BACKEND = "integrations.sms.backends.locmem.LocmemSmsBackend"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def shop(db):
    """Магазин: телефон (19000 в Москве, 20000 база, 5 шт.), рубашка (2500, 5 шт.), ноутбук (90000, 5 шт.)."""
    from tests.commerce.orders.helpers import shop_create

    shop = shop_create()
    shop.phone = shop.variant("PHONE-1", price="20000", msk_price="19000", stock=5)
    shop.shirt = shop.variant("SHIRT-1", price="2500", stock=5)
    shop.laptop = shop.variant("LAPTOP-1", price="90000", stock=5)
    return shop
