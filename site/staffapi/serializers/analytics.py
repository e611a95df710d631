"""Сериализаторы аналитики: период и регион, строки заказов и поиска."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_PERIOD_DAYS = 366


class PeriodSerializer(serializers.Serializer):
    """Период (включительно, по умолчанию — последние 30 дней) и регион."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    region = serializers.SlugField(max_length=32, required=False, help_text=_("Код региона."))

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("date_to", today)
        attrs.setdefault("date_from", attrs["date_to"] - datetime.timedelta(days=29))
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": _("Начало периода позже конца.")})
        if (attrs["date_to"] - attrs["date_from"]).days >= MAX_PERIOD_DAYS:
            raise serializers.ValidationError({"date_from": _("Период — не больше года.")})
        return attrs


class OrderStatsRowSerializer(serializers.Serializer):
    date = serializers.DateField()
    region = serializers.CharField()
    currency = serializers.CharField()
    orders = serializers.IntegerField()
    revenue_orders = serializers.IntegerField(help_text=_("Заказов в выручке (без отменённых и возвращённых)."))
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    average = serializers.DecimalField(max_digits=16, decimal_places=2)


class SearchDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    searches = serializers.IntegerField()
    zero_results = serializers.IntegerField()
    zero_result_rate = serializers.FloatField()


class QueryStatsSerializer(serializers.Serializer):
    query = serializers.CharField()
    searches = serializers.IntegerField()
    zero_results = serializers.IntegerField()
    purchases = serializers.IntegerField()


class ProductStatsSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    views = serializers.IntegerField()
    carts = serializers.IntegerField()
    purchases = serializers.IntegerField()


class CategoryStatsSerializer(serializers.Serializer):
    category_id = serializers.IntegerField()
    views = serializers.IntegerField()
    carts = serializers.IntegerField()
    purchases = serializers.IntegerField()


class SearchStatsSerializer(serializers.Serializer):
    searches = serializers.IntegerField()
    zero_results = serializers.IntegerField()
    zero_result_rate = serializers.FloatField()
    daily = SearchDaySerializer(many=True)
    top_queries = QueryStatsSerializer(many=True)
    zero_result_queries = QueryStatsSerializer(many=True)
    popular_products = ProductStatsSerializer(many=True)
    popular_categories = CategoryStatsSerializer(many=True)
