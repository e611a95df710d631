"""Фабрики корзин и заказов."""

from decimal import Decimal

import factory

from commerce.cart.models import Cart, CartLine
from commerce.orders.models import DeliveryMethod, Order, OrderLine, PaymentMethod
from commerce.orders.services import order_number_generate
from tests.factories.regions import RegionFactory


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart

    region = factory.SubFactory(RegionFactory)


class CartLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    quantity = 1


class OrderFactory(factory.django.DjangoModelFactory):
    """Заказ без резервов (для списков, отслеживания, админки); резервы создаёт только OrderPlacer."""

    class Meta:
        model = Order

    region = factory.SubFactory(RegionFactory)
    number = factory.LazyAttribute(lambda order: order_number_generate(region=order.region))
    contact_name = "Иван Петров"
    contact_phone = "+79161234567"
    contact_email = "ivan@example.ru"
    delivery_method = DeliveryMethod.COURIER
    delivery_address = "Москва, Тверская, 1"
    payment_method = PaymentMethod.ONLINE
    currency = "RUB"
    subtotal = Decimal("1000.00")
    delivery_cost = Decimal("300.00")
    total = Decimal("1300.00")


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    sku = factory.Sequence(lambda number: f"SKU-L{number:05d}")
    product_name = factory.Sequence(lambda number: f"Товар {number}")
    unit_price = Decimal("500.00")
    quantity = 2
    line_total = Decimal("1000.00")
