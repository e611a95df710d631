"""Представление /api/health/."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.health.checks import check_all

ServiceStateSerializer = inline_serializer(
    name="ServiceState",
    fields={
        "status": serializers.ChoiceField(choices=["ok", "down", "disabled"]),
        "backend": serializers.CharField(),
        "latency_ms": serializers.FloatField(allow_null=True),
        "error": serializers.CharField(),
    },
)
HealthSerializer = inline_serializer(
    name="Health",
    fields={
        "status": serializers.ChoiceField(choices=["ok", "down"]),
        "services": serializers.DictField(child=ServiceStateSerializer),
    },
)


class HealthApi(APIView):
    """Состояние базы данных, кэша и брокера; 503, если хотя бы один сервис недоступен."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="health",
        summary="Проверка здоровья",
        responses={200: HealthSerializer, 503: HealthSerializer},
        tags=["health"],
    )
    def get(self, request):
        states = check_all()
        is_down = any(state.is_down for state in states)
        body = {
            "status": "down" if is_down else "ok",
            "services": {
                state.name: {
                    "status": state.status,
                    "backend": state.backend,
                    "latency_ms": state.latency_ms,
                    "error": state.error,
                }
                for state in states
            },
        }
        response_status = status.HTTP_503_SERVICE_UNAVAILABLE if is_down else status.HTTP_200_OK
        return Response(body, status=response_status, headers={"Cache-Control": "no-store"})
