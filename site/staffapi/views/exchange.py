"""Импорт и экспорт каталога в API сотрудников — те же представления, что /api/v1/exchange/.

Правила доступа, проверки файла и работа в Celery — в commerce.exchange (его представления и
сервисы); здесь к ним добавлены аутентификация API сотрудников (сессия с CSRF или ключ API) и
запись в журнал действий для загрузки, подтверждения и заказа экспорта.
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema

from commerce.exchange.api import serializers as exchange_serializers
from commerce.exchange.api import views as exchange
from staffapi.audit import staff_action_record
from staffapi.views.base import StaffAuthMixin


def _audit(request, response, *, action):
    if response.status_code < 400:
        staff_action_record(
            request=request,
            action=action,
            object_type=action.split(".", 1)[0] + "job",
            object_id=str(response.data["id"]),
            after={"status": response.data.get("status")},
        )
    return response


# Переопределённый post теряет описание схемы родителя: повторяем его кратко.
class ImportListApi(StaffAuthMixin, exchange.ImportUploadApi):
    @extend_schema(
        tags=exchange.TAGS,
        summary="Загрузить файл импорта",
        request={"multipart/form-data": exchange_serializers.ImportUploadSerializer},
        responses={202: exchange_serializers.ImportJobSerializer},
    )
    @transaction.atomic
    def post(self, request):
        return _audit(request, super().post(request), action="import.upload")


class ImportJobApi(StaffAuthMixin, exchange.ImportJobApi):
    pass


class ImportConfirmApi(StaffAuthMixin, exchange.ImportConfirmApi):
    @extend_schema(
        tags=exchange.TAGS,
        summary="Подтвердить импорт",
        request=None,
        responses={202: exchange_serializers.ImportJobSerializer},
    )
    @transaction.atomic
    def post(self, request, pk):
        return _audit(request, super().post(request, pk), action="import.confirm")


class ImportRejectedApi(StaffAuthMixin, exchange.ImportRejectedApi):
    pass


class ExportListApi(StaffAuthMixin, exchange.ExportCreateApi):
    @extend_schema(
        tags=exchange.TAGS,
        summary="Заказать экспорт каталога",
        request=exchange_serializers.ExportCreateSerializer,
        responses={202: exchange_serializers.ExportJobSerializer},
    )
    @transaction.atomic
    def post(self, request):
        return _audit(request, super().post(request), action="export.create")


class ExportJobApi(StaffAuthMixin, exchange.ExportJobApi):
    pass


class ExportDownloadApi(StaffAuthMixin, exchange.ExportDownloadApi):
    pass
