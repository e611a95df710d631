"""Одновременные правки в настоящих потоках: статус заказа по одному ETag, правки одного товара.

Права — собственной группой каждого сотрудника (staff_user_with), а не группами ролей:
транзакционный тест очищает базу, и группы, поставленные миграциями, второму такому тесту
уже не достались бы (права моделей Django восстанавливает сам после очистки).
"""

import threading

import pytest
from django.db import connection

from commerce.orders.models import Order
from staffapi.models import StaffAction
from tests.factories.accounts import staff_user_with
from tests.factories.orders import OrderFactory
from tests.factories.regions import RegionFactory
from tests.site.staffapi.conftest import BASE, session_client


@pytest.mark.postgres_only(reason="настоящие потоки с отдельными соединениями и блокировкой строки заказа")
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_with_one_etag_let_exactly_one_win():
    # given
    order = OrderFactory(region=RegionFactory(code="msk"))
    clients = [session_client(staff_user_with("orders.view_order", "orders.change_order_status")) for _ in range(4)]
    etag = clients[0].get(f"{BASE}orders/{order.number}/")["ETag"]
    targets = ["assembling", "cancelled", "awaiting_payment", "cancelled"]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def attempt(client, to_status):
        try:
            barrier.wait()
            response = client.post(
                f"{BASE}orders/{order.number}/transition/", {"to_status": to_status}, format="json", HTTP_IF_MATCH=etag
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, targets, strict=True)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert sorted(statuses) == [200, 412, 412, 412]
    order = Order.objects.get(pk=order.pk)
    assert order.history.count() == 1
    assert StaffAction.objects.filter(action="order.transition").count() == 1


@pytest.mark.postgres_only(reason="настоящие потоки и переиндексация поиска PostgreSQL (удаление и вставка документа)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_variant_edits_of_one_product_never_fail_with_500(catalog):
    # given: правка варианта переиндексирует товар; найдено make fuzz (UniqueViolation на документе поиска)
    clients = [session_client(staff_user_with("catalog.view_variant", "catalog.change_variant")) for _ in range(4)]
    variant = catalog.phone_black.variant
    barrier = threading.Barrier(len(clients))
    statuses = []

    def attempt(client, index):
        try:
            barrier.wait()
            response = client.patch(f"{BASE}variants/{variant.pk}/", {"name": f"цвет {index}"}, format="json")
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(client, index)) for index, client in enumerate(clients)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert statuses == [200] * len(clients)
    assert StaffAction.objects.filter(action="variant.update").count() == len(clients)
