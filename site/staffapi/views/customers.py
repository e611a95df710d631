"""Покупатели: поиск, карточка (контакты замаскированы), раскрытие данных по праву, блокировка."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from staffapi import selectors, services
from staffapi.pagination import StaffPagePagination
from staffapi.pii import PII_PERMISSION
from staffapi.serializers import customers as s
from staffapi.views.base import StaffApiMixin, StaffApiView

TAGS = ["customers"]
VIEW_USER = "accounts.view_user"


def _customer_or_404(request, pk):
    customer = selectors.customer_get_for_staff(request=request, customer_id=pk)
    if customer is None:
        raise NotFound(_("Покупатель не найден."))
    return customer


class CustomerListApi(StaffApiMixin, ListAPIView):
    required_permissions = [VIEW_USER]
    serializer_class = s.CustomerSerializer
    pagination_class = StaffPagePagination
    filter_backends = []

    def get_queryset(self):
        filters = s.CustomerFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.customer_list_for_staff(filters=filters.validated_data)

    @extend_schema(tags=TAGS, summary="Поиск покупателей", parameters=[s.CustomerFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CustomerDetailApi(StaffApiView):
    required_permissions = [VIEW_USER]

    @extend_schema(tags=TAGS, summary="Карточка покупателя", responses={200: s.CustomerDetailSerializer})
    def get(self, request, pk):
        return Response(s.CustomerDetailSerializer(_customer_or_404(request, pk)).data)


class CustomerPiiApi(StaffApiView):
    """Раскрыть персональные данные: POST, а не GET — это действие, и оно пишется в журнал."""

    required_permissions = [VIEW_USER, PII_PERMISSION]

    @extend_schema(
        tags=TAGS,
        summary="Раскрыть персональные данные покупателя",
        request=None,
        responses={200: s.CustomerPiiSerializer},
        description="Нужно право accounts.view_customer_pii; каждое раскрытие — строка журнала customer.pii_reveal.",
    )
    def post(self, request, pk):
        customer = services.staff_customer_pii_reveal(request=request, customer=_customer_or_404(request, pk))
        return Response(s.CustomerPiiSerializer(customer).data)


class CustomerBlockApi(StaffApiView):
    required_permissions = [VIEW_USER, "accounts.change_user"]

    @extend_schema(
        tags=TAGS,
        summary="Заблокировать или разблокировать покупателя",
        request=s.CustomerBlockInputSerializer,
        responses={200: s.CustomerDetailSerializer},
    )
    def post(self, request, pk):
        serializer = s.CustomerBlockInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.staff_customer_block_set(
            request=request, customer=_customer_or_404(request, pk), **serializer.validated_data
        )
        return Response(s.CustomerDetailSerializer(_customer_or_404(request, pk)).data)
