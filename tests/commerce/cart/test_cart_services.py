"""Сервисы корзины: очистка брошенных анонимных корзин, ограничения базы."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from commerce.cart import services as cart_services
from commerce.cart.models import Cart, CartLine
from commerce.cart.services import cart_anonymous_purge
from tests.commerce.orders.helpers import cart_create
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_abandoned_anonymous_carts_are_purged_but_user_carts_kept(shop, settings):
    old_anonymous = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    fresh_anonymous = cart_create(region=shop.msk, lines=[])
    old_user_cart = cart_create(region=shop.msk, lines=[], user=UserFactory())
    long_ago = timezone.now() - timedelta(days=settings.CART_ANONYMOUS_TTL_DAYS + 1)
    Cart.objects.filter(pk__in=[old_anonymous.pk, old_user_cart.pk]).update(updated_at=long_ago)
    assert cart_anonymous_purge() == 2  # корзина и её строка
    assert set(Cart.objects.values_list("pk", flat=True)) == {fresh_anonymous.pk, old_user_cart.pk}


def test_database_refuses_second_cart_for_user_and_non_positive_quantity(shop):
    user = UserFactory()
    cart = cart_create(region=shop.msk, lines=[], user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cart.objects.create(region=shop.msk, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        CartLine.objects.create(cart=cart, variant=shop.shirt, quantity=0)


@pytest.mark.postgres_only(reason="блокировки строк PostgreSQL (SELECT … FOR UPDATE OF) и lock_timeout")
@pytest.mark.django_db(transaction=True)
def test_a_locked_cart_does_not_block_writes_to_other_carts_of_its_region(shop):
    # given: транзакция держит блокировку одной корзины (как оформление до COMMIT)
    first = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    second = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                cart_services.cart_lock_for_checkout(cart=first)
                cart_services.cart_clear(cart=first)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    # when: другая корзина того же региона меняется, ждать блокировку не дольше 2 с
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            cart_services.cart_line_set(cart=second, variant_id=shop.shirt.pk, quantity=2)
    finally:
        release.set()
        holder.join(10)
    # then: строка региона не заблокирована вместе с корзиной — запись прошла сразу
    assert CartLine.objects.get(cart=second).quantity == 2
