"""Сериализаторы справочника доставки: способы региона, расчёт стоимости, пункты самовывоза."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commerce.orders.delivery_models import DeliveryMethod

MONEY = {"max_digits": 14, "decimal_places": 2}
COORDINATE = {"max_digits": 9, "decimal_places": 6}


class DeliveryMethodOutputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=DeliveryMethod.choices, help_text=_("Значение delivery.method для оформления.")
    )
    method_display = serializers.CharField()
    name = serializers.CharField(help_text=_("Название для покупателя (задаёт редактор региона)."))
    description = serializers.CharField()
    cost = serializers.DecimalField(**MONEY, help_text=_("Цена доставки, пока сумма товаров меньше free_from."))
    free_from = serializers.DecimalField(
        **MONEY, allow_null=True, help_text=_("С этой суммы товаров доставка бесплатна; null — всегда платная.")
    )
    currency = serializers.CharField()
    cities = serializers.ListField(
        child=serializers.CharField(), help_text=_("Города, куда возит способ; пусто — весь регион.")
    )
    min_days = serializers.IntegerField(allow_null=True)
    max_days = serializers.IntegerField(allow_null=True)
    requires_address = serializers.BooleanField(help_text=_("Оформлению нужен delivery.address или address_id."))
    requires_pickup_point = serializers.BooleanField(help_text=_("Оформлению нужен delivery.warehouse_id."))


class DeliveryQuoteInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    city = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Город адреса доставки (для способов со списком городов)."),
    )
    address_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("Сохранённый адрес пользователя вместо city.")
    )


class DeliveryQuoteOutputSerializer(serializers.Serializer):
    method = serializers.CharField()
    method_display = serializers.CharField()
    name = serializers.CharField()
    subtotal = serializers.DecimalField(
        **MONEY, help_text=_("Сумма товаров корзины без проблемных строк, со всеми скидками (total корзины).")
    )
    delivery_cost = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY, help_text=_("Передайте как expected_total в оформление."))
    currency = serializers.CharField()
    free_from = serializers.DecimalField(**MONEY, allow_null=True)
    amount_to_free_delivery = serializers.DecimalField(
        **MONEY, allow_null=True, help_text=_("Сколько добавить до бесплатной доставки; null — порога нет.")
    )
    min_days = serializers.IntegerField(allow_null=True)
    max_days = serializers.IntegerField(allow_null=True)
    cart_has_problems = serializers.BooleanField(
        help_text=_("В корзине есть недоступные строки: оформление ответит 409 cart_has_problems.")
    )


class PickupItemOutputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    quantity = serializers.IntegerField(help_text=_("Сколько в корзине."))
    available = serializers.IntegerField(help_text=_("Сколько можно забрать в этом пункте."))
    is_available = serializers.BooleanField(help_text=_("Пункт выдаст всё количество строки."))


class PickupPointOutputSerializer(serializers.Serializer):
    warehouse_id = serializers.IntegerField(help_text=_("Значение delivery.warehouse_id для оформления."))
    code = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField()
    hours = serializers.CharField()
    latitude = serializers.DecimalField(**COORDINATE, allow_null=True)
    longitude = serializers.DecimalField(**COORDINATE, allow_null=True)
    instructions = serializers.CharField()
    cart_items = PickupItemOutputSerializer(many=True, help_text=_("Строки корзины запроса; без корзины — пусто."))
    all_items_available = serializers.BooleanField(help_text=_("Пункт выдаст всю корзину."))
