"""Сервисы корзины: очистка брошенных анонимных корзин, ограничения базы."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

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
