"""Сериализаторы заказов API сотрудников: фильтры списка, строка списка, карточка, действия."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from commerce.orders import selectors as order_selectors
from commerce.orders.models import DeliveryMethod, PaymentMethod
from commerce.orders.status import OrderStatus
from commerce.payments.models import PaymentStatus
from staffapi.etags import order_etag

MONEY = {"max_digits": 14, "decimal_places": 2}


class OrderFilterSerializer(serializers.Serializer):
    """Фильтры списка заказов (query-параметры)."""

    status = serializers.ListField(child=serializers.ChoiceField(choices=OrderStatus.choices), required=False)
    payment_status = serializers.ChoiceField(choices=PaymentStatus.choices, required=False)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices, required=False)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False)
    region = serializers.SlugField(max_length=32, required=False, help_text=_("Код региона."))
    created_from = serializers.DateField(required=False)
    created_to = serializers.DateField(required=False)
    q = serializers.CharField(
        max_length=100, required=False, help_text=_("Номер заказа, телефон или e-mail покупателя.")
    )


class StatusChoiceSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=OrderStatus.choices)
    label = serializers.CharField()


class OrderListSerializer(serializers.Serializer):
    """Строка очереди заказов."""

    number = serializers.CharField()
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    payment_status = serializers.ChoiceField(choices=PaymentStatus.choices, allow_null=True)
    region = serializers.CharField(source="region.code")
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.EmailField()
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    currency = serializers.CharField()
    total = serializers.DecimalField(**MONEY)
    lines_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant_id = serializers.IntegerField(allow_null=True)
    sku = serializers.CharField()
    product_name = serializers.CharField()
    variant_name = serializers.CharField()
    unit_price = serializers.DecimalField(**MONEY, help_text="Цена единицы со скидкой каталога.")
    old_unit_price = serializers.DecimalField(**MONEY, allow_null=True, help_text="Цена без скидки каталога.")
    quantity = serializers.IntegerField()
    discount = serializers.DecimalField(**MONEY, help_text="Доля скидки акций корзины на строку.")
    is_gift = serializers.BooleanField()
    line_total = serializers.DecimalField(**MONEY)


class RefundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provider = serializers.CharField()
    status = serializers.ChoiceField(choices=PaymentStatus.choices)
    amount = serializers.DecimalField(**MONEY)
    refunded_amount = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    needs_review = serializers.BooleanField()
    review_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    refunds = RefundSerializer(many=True, source="refunds.all")


class HistorySerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.ChoiceField(choices=OrderStatus.choices)
    comment = serializers.CharField()
    changed_by = serializers.CharField(source="changed_by.get_username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=5000, trim_whitespace=True)
    author = serializers.CharField(source="author.get_username", allow_null=True, default=None, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class OrderDetailSerializer(OrderListSerializer):
    """Карточка заказа: доставка, строки, платежи, история, заметки и разрешённые переходы."""

    delivery_address = serializers.CharField()
    pickup_warehouse = serializers.CharField(source="pickup_warehouse.code", allow_null=True, default=None)
    comment = serializers.CharField()
    subtotal = serializers.DecimalField(**MONEY)
    discount_total = serializers.DecimalField(**MONEY)
    promo_code = serializers.CharField()
    delivery_cost = serializers.DecimalField(**MONEY)
    reserved_until = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    customer_id = serializers.IntegerField(source="user_id", allow_null=True)
    lines = OrderLineSerializer(many=True, source="lines.all")
    payments = PaymentSerializer(many=True, source="payments.all")
    history = HistorySerializer(many=True, source="history.all")
    notes = NoteSerializer(many=True, source="staff_notes.all")
    allowed_transitions = serializers.SerializerMethodField()
    etag = serializers.SerializerMethodField()

    @extend_schema_field(StatusChoiceSerializer(many=True))
    def get_allowed_transitions(self, order):
        # Те же переходы, что предлагает Wagtail admin (без «ожидает оплаты» для оплаты при получении).
        statuses = order_selectors.order_transitions_offered(order=order)
        return [{"value": status.value, "label": str(status.label)} for status in statuses]

    def get_etag(self, order) -> str:
        return order_etag(order)


class TransitionInputSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=OrderStatus.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RefundInputSerializer(serializers.Serializer):
    payment_id = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    reason = serializers.CharField(max_length=250)


class ContactInputSerializer(serializers.Serializer):
    """Новый контакт заказа: передаются только меняемые поля, хотя бы одно."""

    contact_name = serializers.CharField(max_length=150, required=False)
    contact_phone = PhoneNumberField(required=False)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Укажите хотя бы одно поле контакта."))
        return attrs
