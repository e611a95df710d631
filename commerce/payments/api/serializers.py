"""Сериализаторы API платежей: вход проверяется, выход — только то, что нужно витрине."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commerce.payments.models import PaymentStatus
from core.redirect_urls import UnsafeRedirectUrl, redirect_url_validate


class PayInputSerializer(serializers.Serializer):
    # CharField, а не URLField: правило одно — core.redirect_urls (разбор как в браузере).
    return_url = serializers.CharField(
        max_length=2000,
        trim_whitespace=False,
        help_text=_("Куда вернуть покупателя после оплаты (страница витрины, https)."),
    )
    provider = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text=_("Код провайдера; по умолчанию — первый в регионе.")
    )

    def validate_return_url(self, value):
        # Ограничение хостов закрывает открытый редирект: шлюз вернёт покупателя только на витрину.
        try:
            return redirect_url_validate(value, allowed_hosts=settings.PAYMENTS_RETURN_URL_HOSTS)
        except UnsafeRedirectUrl as error:
            raise serializers.ValidationError(error.message, code=error.code) from error


class PaymentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_number = serializers.CharField(source="order.number")
    provider = serializers.CharField()
    status = serializers.ChoiceField(choices=PaymentStatus.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    refunded_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    confirmation_url = serializers.CharField(
        help_text=_("Ссылка на оплату: направьте покупателя сюда, пока платёж ожидает оплаты.")
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WebhookOutputSerializer(serializers.Serializer):
    status = serializers.CharField()


class SandboxOutcomeInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["succeeded", "waiting_for_capture", "cancelled"])


class PaymentOptionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PaymentMethodProviderOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Значение provider для POST /api/v1/orders/{number}/pay."))
    name = serializers.CharField()
    options = PaymentOptionOutputSerializer(many=True, help_text=_("Чем можно заплатить на странице провайдера."))


class PaymentMethodOutputSerializer(serializers.Serializer):
    # Строка, а не перечисление: перечисление способов оплаты уже есть во входе оформления.
    code = serializers.CharField(help_text=_("Значение payment_method для оформления: online, cash_on_delivery."))
    name = serializers.CharField(help_text=_("Название на языке запроса."))
    requires_confirmed_phone = serializers.BooleanField(
        help_text=_("Оформить можно только после входа по коду из SMS на телефон контакта.")
    )
    providers = PaymentMethodProviderOutputSerializer(many=True, help_text=_("Провайдеры региона в порядке показа."))
