"""Сериализаторы интеграций для сотрудников: подключения, журнал синхронизаций, застрявшие события."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from integrations.core.models import DeliveryState, SyncDirection, SyncState


class SyncRunSerializer(serializers.Serializer):
    """Запись журнала синхронизации."""

    id = serializers.IntegerField()
    connection = serializers.CharField(source="connection.code")
    direction = serializers.ChoiceField(choices=SyncDirection.choices)
    direction_label = serializers.CharField(source="get_direction_display")
    state = serializers.ChoiceField(choices=SyncState.choices)
    state_label = serializers.CharField(source="get_state_display")
    full = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    failed = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class LastRunSerializer(SyncRunSerializer):
    """Последняя синхронизация в строке подключения (без подключения и списка ошибок)."""

    connection = None
    errors = None


class ConnectionHealthSerializer(serializers.Serializer):
    """Подключение и его состояние: ok, errors (ошибки в последней синхронизации), stuck (события застряли)."""

    id = serializers.IntegerField(source="connection.pk")
    code = serializers.CharField(source="connection.code")
    system = serializers.CharField(source="connection.system")
    enabled = serializers.BooleanField(source="connection.enabled")
    state = serializers.ChoiceField(choices=[("ok", _("в порядке")), ("errors", _("ошибки")), ("stuck", _("застряли"))])
    state_label = serializers.CharField()
    stuck = serializers.IntegerField()
    last_run = LastRunSerializer(allow_null=True)


class StuckDeliverySerializer(serializers.Serializer):
    """Застрявшая доставка события подключению."""

    id = serializers.IntegerField()
    connection = serializers.CharField(source="connection.code")
    kind = serializers.CharField(source="event.kind")
    object_type = serializers.CharField(source="event.object_type")
    object_id = serializers.CharField(source="event.object_id")
    state = serializers.ChoiceField(choices=DeliveryState.choices)
    state_label = serializers.CharField(source="get_state_display")
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    next_attempt_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()


class ConnectionFilterSerializer(serializers.Serializer):
    connection = serializers.SlugField(max_length=60, required=False, help_text=_("Код подключения."))


class RetryInputSerializer(serializers.Serializer):
    """Что повторить: перечисленные доставки или все застрявшие доставки подключения."""

    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=500, required=False)
    connection = serializers.SlugField(max_length=60, required=False)

    def validate(self, attrs):
        if bool(attrs.get("ids")) == bool(attrs.get("connection")):
            raise serializers.ValidationError(_("Укажите либо список доставок ids, либо код подключения connection."))
        return attrs


class RetryResultSerializer(serializers.Serializer):
    retried = serializers.IntegerField(help_text=_("Сколько доставок поставлено на отправку."))
