"""API регионов: список, регион запроса, запоминание выбора посетителя."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from regions import conf, selectors
from regions.api.serializers import (
    RegionChooseInputSerializer,
    RegionCurrentOutputSerializer,
    RegionOutputSerializer,
)
from regions.exceptions import RegionNotConfigured
from regions.models import Region


class RegionListApi(GenericAPIView):
    """Активные регионы по порядку — для выбора города на витрине (без SQL: из снимка в памяти)."""

    serializer_class = RegionOutputSerializer
    # Только для схемы OpenAPI (модель ответа); сами регионы берутся из снимка в памяти.
    queryset = Region.objects.none()

    @extend_schema(responses=RegionOutputSerializer(many=True), operation_id="regions_list")
    def get(self, request):
        page = self.paginate_queryset(selectors.region_list_active())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RegionCurrentApi(APIView):
    """Регион этого запроса и как он определён — для вопроса «Ваш город — Москва?»."""

    @extend_schema(responses=RegionCurrentOutputSerializer, operation_id="regions_current")
    def get(self, request):
        if request.region is None:
            raise RegionNotConfigured()
        data = {
            "region": request.region,
            "resolver": request.region_resolver,
            "should_confirm": request.region_is_guess,
        }
        return Response(RegionCurrentOutputSerializer(data).data)


class RegionChooseApi(APIView):
    """Запомнить выбранный посетителем регион в cookie; следующие запросы придут с ним."""

    @extend_schema(
        request=RegionChooseInputSerializer, responses=RegionCurrentOutputSerializer, operation_id="regions_choose"
    )
    def post(self, request):
        serializer = RegionChooseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        region = selectors.region_get_active(code=serializer.validated_data["code"])
        body = {"region": region, "resolver": "cookie", "should_confirm": False}
        response = Response(RegionCurrentOutputSerializer(body).data, status=status.HTTP_200_OK)
        response.set_cookie(
            conf.setting("REGIONS_COOKIE_NAME"),
            region.code,
            max_age=conf.setting("REGIONS_COOKIE_MAX_AGE"),
            domain=conf.setting("REGIONS_COOKIE_DOMAIN"),
            secure=conf.setting("REGIONS_COOKIE_SECURE"),
            # Витрина в браузере может прочитать выбор сама; код региона — не секрет.
            httponly=False,
            samesite="Lax",
        )
        return response
