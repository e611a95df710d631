"""Сериализаторы товаров и вариантов API сотрудников."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commerce.catalog.models import Brand, Category


class ProductFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, help_text=_("Часть названия или точный артикул."))
    category = serializers.SlugField(max_length=255, required=False, help_text=_("slug категории (с подкатегориями)."))
    brand = serializers.SlugField(max_length=255, required=False)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


class VariantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    sku = serializers.CharField(read_only=True)
    name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    barcode = serializers.CharField(max_length=64, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    sort_order = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)


class ProductListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    brand = serializers.CharField(source="brand.slug", allow_null=True, default=None)
    main_category = serializers.CharField(source="main_category.slug")
    is_active = serializers.BooleanField()
    variants_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class ProductDetailSerializer(ProductListSerializer):
    description = serializers.CharField()
    variants = VariantSerializer(many=True, source="variants.all")


class ProductCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    slug = serializers.SlugField(max_length=255)
    main_category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    brand = serializers.SlugRelatedField(
        slug_field="slug", queryset=Brand.objects.all(), required=False, allow_null=True
    )
    sku = serializers.CharField(max_length=64, help_text=_("Артикул первого варианта."))
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=100_000)


class ProductUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, required=False)
    main_category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all(), required=False)
    brand = serializers.SlugRelatedField(
        slug_field="slug", queryset=Brand.objects.all(), required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=100_000)
    is_active = serializers.BooleanField(required=False)
