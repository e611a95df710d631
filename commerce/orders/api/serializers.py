"""Сериализаторы API оформления и заказов: вход — проверка, выход — форма ответа.

Цены, суммы и стоимость доставки во входе не принимаются: лишние поля тела (например,
``lines`` с ценами) молча игнорируются, всё считает сервер.
"""

from django.utils.translation import gettext_lazy as _
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from commerce.catalog.api.schema import ImageSchema
from commerce.orders import selectors
from commerce.orders.models import DeliveryMethod, PaymentMethod
from commerce.orders.notifications import tracking_url
from commerce.orders.status import CUSTOMER_CANCELLABLE, OrderStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


class ContactInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    phone = PhoneNumberField()
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class AddressInputSerializer(serializers.Serializer):
    postal_code = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    region = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=150)
    street = serializers.CharField(max_length=255)
    house = serializers.CharField(max_length=30)
    apartment = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DeliveryInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    warehouse_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    address_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    address = AddressInputSerializer(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        method = attrs["method"]
        if method == DeliveryMethod.PICKUP and not attrs.get("warehouse_id"):
            raise serializers.ValidationError(
                {"warehouse_id": _("Выберите пункт самовывоза: id из /api/v1/pickup-points/.")}, code="required"
            )
        if method != DeliveryMethod.PICKUP and not attrs.get("address_id") and not attrs.get("address"):
            raise serializers.ValidationError(
                {"address": _("Укажите адрес доставки или выберите сохранённый (address_id).")}, code="required"
            )
        return attrs


class CheckoutInputSerializer(serializers.Serializer):
    contact = ContactInputSerializer()
    delivery = DeliveryInputSerializer()
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    expected_total = serializers.DecimalField(
        **MONEY,
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Итог, который видел покупатель. Если на сервере он другой (цены или регион изменились), "
            "заказ не создаётся: 409 order_total_changed. Цену сервер всё равно считает сам."
        ),
    )


LINE_IMAGES = "order_line_images"


class OrderLineOutputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField(allow_null=True)
    sku = serializers.CharField()
    product_name = serializers.CharField()
    product_slug = serializers.CharField()
    variant_name = serializers.CharField()
    image = serializers.SerializerMethodField()
    unit_price = serializers.DecimalField(**MONEY, help_text=_("Цена единицы со скидкой каталога."))
    old_unit_price = serializers.DecimalField(**MONEY, allow_null=True, help_text=_("Цена без скидки каталога."))
    quantity = serializers.IntegerField()
    discount = serializers.DecimalField(**MONEY, help_text=_("Доля скидки заказа на строку."))
    line_total = serializers.DecimalField(**MONEY, help_text=_("unit_price × quantity − discount."))
    is_gift = serializers.BooleanField()

    def get_image(self, line) -> ImageSchema(allow_null=True):
        images = self.context.get(LINE_IMAGES) or {}
        product_id = line.variant.product_id if line.variant_id is not None and line.variant else None
        image = images.get(product_id)
        if image is None:
            return None
        product_image, renditions = image
        return {
            "alt": product_image.alt or product_image.image.title,
            "renditions": {
                spec: {"url": item.url, "width": item.width, "height": item.height} for spec, item in renditions.items()
            },
        }


class _OrdersImagesMixin:
    """Главные изображения строк всех заказов ответа — один раз на ответ (два запроса), не на строку."""

    def _images_prepare(self, orders):
        root = self.root
        if LINE_IMAGES not in root._context:
            root._context[LINE_IMAGES] = selectors.order_line_images(orders=orders)


class OrderListSerializer(_OrdersImagesMixin, serializers.ListSerializer):
    def to_representation(self, data):
        orders = list(data.all() if hasattr(data, "all") else data)
        self._images_prepare(orders)
        return super().to_representation(orders)


class OrderHistoryOutputSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class OrderPublicOutputSerializer(_OrdersImagesMixin, serializers.Serializer):
    """Заказ для отслеживания без входа: без адреса, e-mail и секретного токена."""

    class Meta:
        list_serializer_class = OrderListSerializer

    def to_representation(self, instance):
        if self.root is self:
            self._images_prepare([instance])
        return super().to_representation(instance)

    number = serializers.CharField()
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    created_at = serializers.DateTimeField()
    delivery_method = serializers.CharField()
    delivery_method_display = serializers.CharField(source="get_delivery_method_display")
    payment_method = serializers.CharField()
    payment_method_display = serializers.CharField(source="get_payment_method_display")
    currency = serializers.CharField()
    subtotal = serializers.DecimalField(**MONEY, help_text=_("Товары по ценам со скидкой каталога."))
    discount_total = serializers.DecimalField(**MONEY, help_text=_("Скидки акций корзины и промокода."))
    promo_code = serializers.CharField(help_text=_("Применённый промокод или пусто."))
    delivery_cost = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY, help_text=_("subtotal − discount_total + delivery_cost."))
    reserved_until = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    lines = OrderLineOutputSerializer(many=True)
    history = OrderHistoryOutputSerializer(many=True)


class OrderOutputSerializer(OrderPublicOutputSerializer):
    """Заказ для его владельца: всё, включая контакт, адрес и ссылку отслеживания."""

    token = serializers.CharField()
    tracking_url = serializers.SerializerMethodField()
    region = serializers.CharField(source="region.code")
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    pickup_warehouse_id = serializers.IntegerField(allow_null=True)
    delivery_address = serializers.CharField()
    delivery_address_data = serializers.DictField()
    comment = serializers.CharField()
    can_cancel = serializers.SerializerMethodField()

    def get_tracking_url(self, order) -> str:
        return tracking_url(order)

    def get_can_cancel(self, order) -> bool:
        return order.status in CUSTOMER_CANCELLABLE


class TrackQuerySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=32)
    phone = serializers.CharField(max_length=32)
