"""Сериализаторы ключей API и журнала действий."""

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ApiKeySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    group = serializers.SlugRelatedField(
        slug_field="name", queryset=Group.objects.all(), help_text=_("Имя группы прав.")
    )
    prefix = serializers.CharField(read_only=True)
    owner = serializers.CharField(source="owner.get_username", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text=_("Полный ключ: показывается один раз."))


class StaffActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    actor = serializers.CharField(source="actor.get_username", allow_null=True, default=None)
    api_key = serializers.CharField(source="api_key.name", allow_null=True, default=None)
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    object_repr = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    ip_address = serializers.IPAddressField(allow_null=True)
    created_at = serializers.DateTimeField()


class StaffActionFilterSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=64, required=False)
    object_type = serializers.CharField(max_length=64, required=False)
    object_id = serializers.CharField(max_length=64, required=False)
    actor = serializers.CharField(max_length=150, required=False, help_text=_("Логин сотрудника."))
