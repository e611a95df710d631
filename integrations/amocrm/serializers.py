"""Проверка заявки «перезвоните мне»."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commerce.orders.selectors import phone_normalize


class CrmRequestInputSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("имя"), max_length=100)
    phone = serializers.CharField(label=_("телефон"), max_length=32)
    comment = serializers.CharField(label=_("комментарий"), max_length=1000, required=False, allow_blank=True)
    page = serializers.URLField(label=_("страница"), max_length=500, required=False, allow_blank=True)

    def validate_phone(self, value):
        normalized = phone_normalize(value)
        if normalized is None:
            raise serializers.ValidationError(_("Укажите телефон, например +7 916 123-45-67."), code="invalid_phone")
        return normalized


class CrmRequestOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=_("Номер заявки"))
