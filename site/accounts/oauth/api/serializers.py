"""Сериализаторы API входа через соцсети: проверить ввод, оформить вывод."""

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.serializers import ProfileOutputSerializer
from accounts.oauth.models import SocialAccount

CODE_MAX_LENGTH = 2000
STATE_MAX_LENGTH = 128


class ProviderButtonSerializer(serializers.Serializer):
    provider = serializers.CharField(help_text="Код провайдера в путях API: vk, yandex, sber, telegram.")
    name = serializers.CharField(help_text="Название для кнопки.")
    flow = serializers.ChoiceField(
        choices=["oauth2", "telegram_widget"], help_text="oauth2 — через start/complete; telegram_widget — виджет."
    )
    bot_username = serializers.CharField(required=False, help_text="Только Telegram: имя бота для виджета.")
    bot_id = serializers.CharField(required=False, help_text="Только Telegram: id бота для Telegram.Login.auth.")


class OAuthStartInputSerializer(serializers.Serializer):
    redirect_uri = serializers.CharField(
        max_length=2000,
        help_text="Страница витрины, куда провайдер вернёт покупателя; из разрешённых адресов возврата региона.",
    )


class OAuthStartOutputSerializer(serializers.Serializer):
    authorize_url = serializers.CharField(help_text="Куда отправить браузер покупателя.")
    state = serializers.CharField(help_text="Сохраните в sessionStorage и сверьте со state в адресе возврата.")


class OAuthCompleteInputSerializer(serializers.Serializer):
    """Код из адреса возврата: полями ``code``/``state``/``device_id`` или JSON ``payload`` VK ID."""

    code = serializers.CharField(max_length=CODE_MAX_LENGTH, required=False)
    state = serializers.CharField(max_length=STATE_MAX_LENGTH, required=False)
    device_id = serializers.CharField(max_length=200, required=False, help_text="VK ID: device_id из адреса возврата.")
    payload = serializers.JSONField(
        required=False,
        help_text="VK ID: объект (или JSON-строка) с code, state, device_id — как его отдал VK ID.",
    )

    def validate(self, attrs):
        payload = attrs.pop("payload", None)
        if isinstance(payload, str):
            try:
                payload = json.loads(payload)
            except ValueError as error:
                raise serializers.ValidationError(
                    {"payload": [_("payload — не JSON.")]}, code="oauth_payload_invalid"
                ) from error
        if payload is not None:
            if not isinstance(payload, dict):
                raise serializers.ValidationError({"payload": [_("payload должен быть объектом.")]})
            for name, limit in (("code", CODE_MAX_LENGTH), ("state", STATE_MAX_LENGTH), ("device_id", 200)):
                value = payload.get(name)
                if name in attrs or value is None:
                    continue
                if not isinstance(value, str) or not value or len(value) > limit:
                    raise serializers.ValidationError({f"payload.{name}": [_("Неверное значение.")]})
                attrs[name] = value
        errors = {name: [_("Обязательное поле.")] for name in ("code", "state") if not attrs.get(name)}
        if errors:
            raise serializers.ValidationError(errors, code="required")
        return attrs


class TelegramCompleteInputSerializer(serializers.Serializer):
    """Поля Telegram Login Widget как есть: id, first_name, last_name, username, photo_url, auth_date, hash.

    Набор полей не фиксирован: подписаны все присланные поля, поэтому проверяется весь объект.
    """

    id = serializers.IntegerField(min_value=1)
    auth_date = serializers.IntegerField(min_value=0)
    hash = serializers.RegexField(r"^[0-9a-fA-F]{64}$")

    def to_internal_value(self, data):
        super().to_internal_value(data)  # типы обязательных полей
        # Форма (QueryDict) — по одному значению на поле, JSON — как есть.
        return data.dict() if hasattr(data, "dict") else dict(data)


class OAuthLoginOutputSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    user = ProfileOutputSerializer()
    created = serializers.BooleanField(help_text="Аккаунт создан этим входом.")


class SocialAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = SocialAccount
        fields = (
            "id",
            "provider",
            "display_name",
            "email",
            "email_verified",
            "phone",
            "phone_verified",
            "avatar_url",
            "created_at",
            "last_login_at",
        )
        read_only_fields = fields
