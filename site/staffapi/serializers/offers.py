"""Сериализаторы сетки цен и остатков: строки сетки и пачка правок PATCH offers/bulk/."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commerce.catalog.models import Variant
from commerce.inventory.models import Warehouse
from commerce.pricing.models import PriceList

MONEY = {"max_digits": 12, "decimal_places": 2}
BULK_MAX_ROWS = 1000


class OfferGridFilterSerializer(serializers.Serializer):
    region = serializers.SlugField(max_length=32, help_text=_("Код региона (обязателен)."))
    product = serializers.IntegerField(min_value=1, required=False, help_text=_("id товара."))
    category = serializers.SlugField(max_length=255, required=False, help_text=_("slug категории (с подкатегориями)."))


class OfferStockSerializer(serializers.Serializer):
    warehouse = serializers.CharField()
    quantity = serializers.IntegerField()
    reserved = serializers.IntegerField()


class OfferRowSerializer(serializers.Serializer):
    """Строка сетки: вариант, цена региона (или null), базовая цена, остатки по складам региона."""

    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    variant_name = serializers.CharField()
    product_id = serializers.IntegerField()
    product_name = serializers.CharField()
    is_active = serializers.BooleanField()
    currency = serializers.CharField()
    region_price = serializers.DecimalField(allow_null=True, **MONEY)
    region_old_price = serializers.DecimalField(allow_null=True, **MONEY)
    base_price = serializers.DecimalField(allow_null=True, **MONEY)
    base_old_price = serializers.DecimalField(allow_null=True, **MONEY)
    stocks = OfferStockSerializer(many=True)


class OfferGridPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OfferRowSerializer(many=True)
    price_list = serializers.CharField(allow_null=True, help_text=_("Код прайс-листа региона (null — своего нет)."))
    base_price_list = serializers.CharField(allow_null=True, help_text=_("Код базового прайс-листа."))
    warehouses = serializers.ListField(child=serializers.CharField(), help_text=_("Коды складов региона по порядку."))


class OfferBulkRowSerializer(serializers.Serializer):
    """Правка одной строки: цена в прайс-листе и/или остаток на складе варианта."""

    variant_id = serializers.IntegerField(min_value=1)
    price_list = serializers.SlugField(max_length=64, required=False, help_text=_("Код прайс-листа."))
    price = serializers.DecimalField(min_value=0, required=False, **MONEY)
    old_price = serializers.DecimalField(min_value=0, required=False, allow_null=True, **MONEY)
    warehouse = serializers.SlugField(max_length=64, required=False, help_text=_("Код склада."))
    quantity = serializers.IntegerField(min_value=0, max_value=2_000_000_000, required=False)

    def validate(self, attrs):
        if ("price_list" in attrs) != ("price" in attrs):
            raise serializers.ValidationError({"price": _("Цена и прайс-лист указываются вместе.")})
        if ("warehouse" in attrs) != ("quantity" in attrs):
            raise serializers.ValidationError({"quantity": _("Остаток и склад указываются вместе.")})
        if "price" not in attrs and "quantity" not in attrs:
            raise serializers.ValidationError(_("Укажите цену или остаток."))
        return attrs


class OfferBulkInputSerializer(serializers.Serializer):
    rows = OfferBulkRowSerializer(many=True, allow_empty=False, max_length=BULK_MAX_ROWS)

    def validate(self, attrs):
        """Найти варианты, прайс-листы и склады всех строк тремя запросами; неизвестные — ошибка строки."""
        rows = attrs["rows"]
        variants = Variant.objects.in_bulk({row["variant_id"] for row in rows})
        lists = {
            item.code: item
            for item in PriceList.objects.filter(code__in={r["price_list"] for r in rows if "price_list" in r})
        }
        warehouses = {
            item.code: item
            for item in Warehouse.objects.filter(code__in={r["warehouse"] for r in rows if "warehouse" in r})
        }
        errors = []
        resolved = []
        for row in rows:
            error = {}
            variant = variants.get(row["variant_id"])
            if variant is None:
                error["variant_id"] = [_("Вариант не найден.")]
            price_list = lists.get(row.get("price_list")) if "price_list" in row else None
            if "price_list" in row and price_list is None:
                error["price_list"] = [_("Прайс-лист не найден.")]
            warehouse = warehouses.get(row.get("warehouse")) if "warehouse" in row else None
            if "warehouse" in row and warehouse is None:
                error["warehouse"] = [_("Склад не найден.")]
            errors.append(error)
            resolved.append({**row, "variant": variant, "price_list": price_list, "warehouse": warehouse})
        if any(errors):
            raise serializers.ValidationError({"rows": errors})
        return {"rows": resolved}


class OfferBulkResultSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
