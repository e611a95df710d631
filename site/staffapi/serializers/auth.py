"""Сериализаторы входа и профиля сотрудника (me/)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class LoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text=_("Логин сотрудника — тот же, что для входа в /admin/."))
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class CsrfSerializer(serializers.Serializer):
    csrf_token = serializers.CharField(help_text=_("Значение для заголовка X-CSRFToken."))


class RegionBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    """Сотрудник, его группы, коды прав и доступные регионы (all_regions — без ограничения)."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_superuser = serializers.BooleanField()
    groups = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())
    all_regions = serializers.BooleanField()
    regions = RegionBriefSerializer(many=True)
    api_key = serializers.CharField(allow_null=True, help_text=_("Название ключа API, если запрос с ключом."))
