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
