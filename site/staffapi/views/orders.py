"""Заказы для сотрудников: очередь с фильтрами, карточка, смена статуса, заметки, возвраты."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from commerce.payments.exceptions import PaymentNotFound
from commerce.payments.models import Payment
from staffapi import selectors, services
from staffapi.etags import order_etag
from staffapi.pagination import StaffCursorPagination
from staffapi.serializers import orders as s
from staffapi.views.base import StaffApiMixin, StaffApiView

TAGS = ["orders"]
VIEW_ORDER = "orders.view_order"
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="ETag из карточки заказа (поле etag или заголовок ETag). Не совпал — 412, нет — 428.",
)


def _order_or_404(request, number):
    order = selectors.order_get_for_staff(request=request, number=number)
    if order is None:
        raise NotFound(_("Заказ не найден."))
    return order


def _detail_response(order, *, status_code=status.HTTP_200_OK):
    response = Response(s.OrderDetailSerializer(order).data, status=status_code)
    response["ETag"] = order_etag(order)
    return response


class OrderListApi(StaffApiMixin, ListAPIView):
    """Очередь заказов с фильтрами и курсором; сотрудник с регионами видит только свои регионы."""

    required_permissions = [VIEW_ORDER]
    serializer_class = s.OrderListSerializer
    pagination_class = StaffCursorPagination
    filter_backends = []

    def get_queryset(self):
        data = self.request.query_params.copy()
        filters = s.OrderFilterSerializer(
            data={**data.dict(), "status": data.getlist("status")} if "status" in data else data.dict()
        )
        filters.is_valid(raise_exception=True)
        return selectors.order_list_for_staff(request=self.request, filters=filters.validated_data)

    @extend_schema(tags=TAGS, summary="Список заказов", parameters=[s.OrderFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OrderDetailApi(StaffApiView):
    required_permissions = [VIEW_ORDER]

    @extend_schema(
        tags=TAGS,
        summary="Карточка заказа",
        responses={200: s.OrderDetailSerializer},
        description="Заголовок ETag — версия заказа для If-Match при изменениях. 404 — нет заказа или чужой регион.",
    )
    def get(self, request, number):
        return _detail_response(_order_or_404(request, number))


def _order_change(*, summary, input_serializer, description, change):
    """Собрать обработчик правки заказа: проверить тело, вызвать сервис, вернуть карточку с новым ETag.

    change(request=..., order=..., data=...) — сервис staffapi: он блокирует заказ и сверяет
    If-Match под блокировкой, поэтому из двух правок с одним ETag вторая получает 412.
    """

    @extend_schema(
        tags=TAGS,
        summary=summary,
        parameters=[IF_MATCH],
        request=input_serializer,
        responses={200: s.OrderDetailSerializer},
        description=(
            f"{description} 412 precondition_failed (заказ изменили после чтения), 428 precondition_required."
        ),
    )
    def handler(self, request, number):
        order = _order_or_404(request, number)
        serializer = input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change(request=request, order=order, data=serializer.validated_data)
        return _detail_response(_order_or_404(request, number))

    return handler


class OrderTransitionApi(StaffApiView):
    required_permissions = [VIEW_ORDER, "orders.change_order_status"]
    post = _order_change(
        summary="Сменить статус заказа",
        input_serializer=s.TransitionInputSerializer,
        description="Переход по таблице статусов с комментарием в историю. Ошибки: 409 order_transition_not_allowed,",
        change=lambda request, order, data: services.staff_order_transition(request=request, order=order, **data),
    )


class OrderContactApi(StaffApiView):
    required_permissions = [VIEW_ORDER, "orders.change_order"]
    patch = _order_change(
        summary="Изменить контакт заказа",
        input_serializer=s.ContactInputSerializer,
        description="Имя, телефон, e-mail получателя; передаются только меняемые поля. Ошибки: 400 validation_error,",
        change=lambda request, order, data: services.staff_order_contact_update(
            request=request, order=order, changes=data
        ),
    )


class OrderNoteListApi(StaffApiView):
    required_permissions = {"GET": [VIEW_ORDER], "POST": [VIEW_ORDER, "orders.change_order"]}

    @extend_schema(tags=TAGS, summary="Заметки к заказу", responses={200: s.NoteSerializer(many=True)})
    def get(self, request, number):
        order = _order_or_404(request, number)
        return Response(s.NoteSerializer(order.staff_notes.all(), many=True).data)

    @extend_schema(
        tags=TAGS, summary="Добавить заметку к заказу", request=s.NoteSerializer, responses={201: s.NoteSerializer}
    )
    def post(self, request, number):
        order = _order_or_404(request, number)
        serializer = s.NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.staff_order_note_add(request=request, order=order, text=serializer.validated_data["text"])
        return Response(s.NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class OrderRefundApi(StaffApiView):
    required_permissions = [VIEW_ORDER, "payments.refund_payment"]

    @extend_schema(
        tags=TAGS,
        summary="Вернуть деньги по платежу заказа",
        request=s.RefundInputSerializer,
        responses={201: s.RefundSerializer},
        description=(
            "Полный или частичный возврат через сервис платежей. Ошибки: 404 payment_not_found, "
            "409 refund_not_allowed, 400 refund_amount_invalid, 502/503 — провайдер."
        ),
    )
    def post(self, request, number):
        order = _order_or_404(request, number)
        serializer = s.RefundInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment = Payment.objects.filter(order=order, pk=data["payment_id"]).first()
        if payment is None:
            raise PaymentNotFound()
        refund = services.staff_refund_create(
            request=request, payment=payment, amount=data["amount"], reason=data["reason"]
        )
        return Response(s.RefundSerializer(refund).data, status=status.HTTP_201_CREATED)
