"""Настоящий воркер Celery: заказы, сделанные, пока amoCRM лежит, приходят туда по одному разу и по порядку."""

import pytest

from commerce.orders.services import order_mark_paid
from tests.integrations.amocrm.fake_amocrm import STAGE_PAID
from tests.integrations.amocrm.helpers import order_place
from tests.integrations.helpers import all_delivered, wait_until


@pytest.mark.redis_only(reason="настоящий воркер Celery берёт задачи из брокера Redis")
@pytest.mark.django_db(transaction=True)
def test_orders_made_while_amocrm_is_down_become_leads_once_each_in_order(shop, amo, fake, integrations_worker):
    # given: amoCRM лежит (503)
    fake.down = True

    # when: три заказа оформлены и оплачены
    orders = []
    for _ in range(3):
        order = order_place(shop, quantity=1)
        order_mark_paid(order=order, payment_reference="pay-1")
        orders.append(order)
    assert wait_until(lambda: len(fake.api_requests()) >= 3, timeout=30)
    assert fake.leads == {}
    fake.down = False
    assert wait_until(all_delivered, timeout=90)

    # then: по сделке на заказ, один контакт на одного покупателя, сделки на этапе «оплачен»
    assert len(fake.leads) == 3
    assert len(fake.contacts) == 1
    for order in orders:
        (lead,) = [lead for lead in fake.leads.values() if lead["name"] == f"Заказ {order.number}"]
        assert lead["status_id"] == STAGE_PAID
        texts = [note["params"]["text"] for note in fake.notes_of(lead["id"])]
        # «создан» не обогнал «оплачен»: сначала состав, потом смена статуса — по разу
        assert len(texts) == 2
        assert texts[0].startswith(f"Состав заказа {order.number}")
        assert texts[1] == f"Статус заказа {order.number} в магазине: «новый» → «оплачен»."
    # лимит 7 запросов в секунду соблюдён: amoCRM ни разу не ответил 429
    assert fake.throttled == 0
    assert fake.grants == ["authorization_code"]
