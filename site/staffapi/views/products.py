"""Товары и варианты: таблица с поиском, карточка, создание, правка."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from commerce.catalog.models import Category, Variant
from staffapi import selectors, services
from staffapi.pagination import StaffPagePagination
from staffapi.serializers import products as s
from staffapi.views.base import StaffApiMixin, StaffApiView

TAGS = ["catalog"]


def _product_or_404(pk):
    product = selectors.product_get_for_staff(pk=pk)
    if product is None:
        raise NotFound(_("Товар не найден."))
    return product


class ProductListApi(StaffApiMixin, ListAPIView):
    required_permissions = {"GET": ["catalog.view_product"], "POST": ["catalog.add_product", "catalog.add_variant"]}
    serializer_class = s.ProductListSerializer
    pagination_class = StaffPagePagination
    filter_backends = []

    def get_queryset(self):
        filters = s.ProductFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = dict(filters.validated_data)
        if data.get("category"):
            data["category"] = Category.objects.filter(slug=data["category"]).first()
            if data["category"] is None:
                raise NotFound(_("Категория не найдена."))
        return selectors.product_list_for_staff(filters=data)

    @extend_schema(tags=TAGS, summary="Товары", parameters=[s.ProductFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Создать товар с первым вариантом",
        request=s.ProductCreateSerializer,
        responses={201: s.ProductDetailSerializer},
    )
    def post(self, request):
        serializer = s.ProductCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = services.staff_product_create(request=request, **serializer.validated_data)
        return Response(s.ProductDetailSerializer(_product_or_404(product.pk)).data, status=status.HTTP_201_CREATED)


class ProductDetailApi(StaffApiView):
    required_permissions = {
        "GET": ["catalog.view_product"],
        "PATCH": ["catalog.view_product", "catalog.change_product"],
    }

    @extend_schema(tags=TAGS, summary="Карточка товара", responses={200: s.ProductDetailSerializer})
    def get(self, request, pk):
        return Response(s.ProductDetailSerializer(_product_or_404(pk)).data)

    @extend_schema(
        tags=TAGS,
        summary="Изменить товар",
        request=s.ProductUpdateSerializer,
        responses={200: s.ProductDetailSerializer},
    )
    def patch(self, request, pk):
        product = _product_or_404(pk)
        serializer = s.ProductUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.staff_product_update(request=request, product=product, changes=serializer.validated_data)
        return Response(s.ProductDetailSerializer(_product_or_404(pk)).data)


class VariantDetailApi(StaffApiView):
    required_permissions = {"PATCH": ["catalog.view_variant", "catalog.change_variant"]}

    @extend_schema(
        tags=TAGS, summary="Изменить вариант", request=s.VariantSerializer, responses={200: s.VariantSerializer}
    )
    def patch(self, request, pk):
        variant = Variant.objects.filter(pk=pk).first()
        if variant is None:
            raise NotFound(_("Вариант не найден."))
        serializer = s.VariantSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.staff_variant_update(request=request, variant=variant, changes=serializer.validated_data)
        return Response(s.VariantSerializer(variant).data)
