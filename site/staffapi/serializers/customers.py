"""Сериализаторы покупателей: карточка без персональных данных и раскрытые данные."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from staffapi.pii import mask_email, mask_name, mask_phone


class CustomerFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=100,
        required=False,
        help_text=_("Точный e-mail, телефон, логин или номер заказа покупателя (поиск не раскрывает данные)."),
    )
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


class CustomerSerializer(serializers.Serializer):
    """Покупатель в списке и карточке: контакты замаскированы."""

    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    email_verified = serializers.BooleanField()
    phone_verified = serializers.BooleanField()
    is_active = serializers.BooleanField()
    date_joined = serializers.DateTimeField()
    orders_count = serializers.IntegerField()
    personal_data_consent_at = serializers.DateTimeField(allow_null=True)
    marketing_consent_at = serializers.DateTimeField(allow_null=True)

    def get_name(self, user) -> str:
        return " ".join(part for part in (mask_name(user.first_name), mask_name(user.last_name)) if part)

    def get_email(self, user) -> str:
        return mask_email(user.email)

    def get_phone(self, user) -> str:
        return mask_phone(user.phone)


class CustomerOrderSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()


class ConsentEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    granted = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class CustomerDetailSerializer(CustomerSerializer):
    addresses_count = serializers.IntegerField()
    orders = CustomerOrderSerializer(many=True, source="recent_orders")
    consents = ConsentEventSerializer(many=True, source="consent_events.all")


class AddressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    recipient_name = serializers.CharField()
    recipient_phone = serializers.CharField()
    postal_code = serializers.CharField()
    region = serializers.CharField()
    city = serializers.CharField()
    street = serializers.CharField()
    house = serializers.CharField()
    apartment = serializers.CharField()
    is_default = serializers.BooleanField()


class CustomerPiiSerializer(serializers.Serializer):
    """Персональные данные покупателя — только с правом, каждое раскрытие — в журнале."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    addresses = AddressSerializer(many=True, source="addresses.all")


class CustomerBlockInputSerializer(serializers.Serializer):
    blocked = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
