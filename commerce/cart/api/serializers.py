"""Сериализаторы API корзины: вход — проверка, выход — форма ответа."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers


class CartLineAddInputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, default=1)

    def validate_quantity(self, value):
        # Потолок проверяет и сервис; здесь — чтобы ответить 400 с путём поля до похода в базу.
        if value > settings.CART_LINE_MAX_QUANTITY:
            raise serializers.ValidationError(
                _("Не больше %(limit)s штук одного товара.") % {"limit": settings.CART_LINE_MAX_QUANTITY},
                code="quantity_too_large",
            )
        return value


class CartLineSetInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0)


class CartLineOutputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    product_slug = serializers.CharField()
    variant_name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    available_quantity = serializers.IntegerField()
    is_available = serializers.BooleanField()
    problem = serializers.CharField(
        allow_null=True, help_text="unavailable, no_price, out_of_stock, insufficient_stock"
    )


class RegionChangeOutputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    old_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    new_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    old_currency = serializers.CharField()
    new_currency = serializers.CharField()
    old_problem = serializers.CharField(allow_null=True)
    new_problem = serializers.CharField(allow_null=True)


class CartOutputSerializer(serializers.Serializer):
    """Корзина: токен (для анонимной), регион, строки, итоги, изменения после смены региона."""

    token = serializers.CharField(
        allow_null=True, help_text="Передавайте в X-Cart-Token; у корзины пользователя — null."
    )
    region = serializers.CharField(allow_null=True)
    currency = serializers.CharField()
    lines = CartLineOutputSerializer(many=True)
    items_count = serializers.IntegerField()
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)
    has_problems = serializers.BooleanField()
    merged = serializers.BooleanField(help_text="В этом запросе анонимная корзина слита в корзину пользователя.")
    region_changes = RegionChangeOutputSerializer(many=True)

    @classmethod
    def build(cls, *, view, region, merged=False, region_changes=()):
        """Собрать ответ из CartView (или пустой корзины, если view is None)."""
        if view is None:
            data = {
                "token": None,
                "region": region.code if region else None,
                "currency": region.currency if region else "RUB",
                "lines": [],
                "items_count": 0,
                "subtotal": "0.00",
                "has_problems": False,
                "merged": False,
                "region_changes": [],
            }
        else:
            cart = view.cart
            data = {
                "token": cart.token if cart.user_id is None else None,
                "region": cart.region.code,
                "currency": view.currency,
                "lines": [{**line.__dict__, "is_available": line.is_available} for line in view.lines],
                "items_count": view.items_count,
                "subtotal": view.subtotal,
                "has_problems": view.has_problems,
                "merged": merged,
                "region_changes": list(region_changes),
            }
        return cls(data).data
