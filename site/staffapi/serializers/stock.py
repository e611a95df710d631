"""Сериализаторы «мало на складе» для главной React-админки."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class LowStockRowSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField(source="pk")
    sku = serializers.CharField()
    product_id = serializers.IntegerField()
    product_name = serializers.CharField(source="product.name")
    variant_name = serializers.CharField(source="name")
    available = serializers.IntegerField(help_text=_("На складе минус резерв, по активным складам."))


class LowStockSerializer(serializers.Serializer):
    threshold = serializers.IntegerField(help_text=_("Порог COMMERCE_LOW_STOCK_THRESHOLD."))
    total = serializers.IntegerField(help_text=_("Сколько вариантов не выше порога."))
    rows = LowStockRowSerializer(many=True)
