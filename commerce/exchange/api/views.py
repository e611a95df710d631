"""API обмена /api/v1/exchange/: загрузка, состояние задания, подтверждение, отклонённые строки, экспорт.

Только для сотрудников с правами (commerce/exchange/permissions.py): загрузка и подтверждение —
exchange.run_import (и права на то, что импорт меняет), выгрузка — exchange.run_export; свои
задания видны с правом запуска, чужие — с exchange.view_importjob / exchange.view_exportjob
(чужое невидимое задание — 404). Представления тонкие: проверить ввод, позвать сервис,
отдать задание. Тяжёлая работа — в задачах Celery; ход читается из кэша.
"""

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from commerce.exchange import error_codes, export, selectors, services
from commerce.exchange import permissions as exchange_permissions
from commerce.exchange.api import serializers
from commerce.exchange.models import ExportStatus
from core.pagination import PageNumberPagination
from core.permissions import StaffPermissions


class JobNotFound(NotFound):
    default_code = error_codes.JOB_NOT_FOUND
    default_detail = _("Задание обмена не найдено.")


class FileMissing(APIException):
    status_code = 404
    default_code = error_codes.REJECTED_FILE_MISSING
    default_detail = _("Файла нет: в этом задании нет отклонённых строк.")


class ExportNotReady(APIException):
    status_code = 409
    default_code = error_codes.EXPORT_NOT_READY
    default_detail = _("Экспорт ещё не готов.")


TAGS = ["exchange"]
FILE_RESPONSE = OpenApiResponse(response=OpenApiTypes.BINARY, description="Файл XLSX или CSV.")
NOT_FOUND = OpenApiResponse(description=error_codes.JOB_NOT_FOUND)
FORBIDDEN = OpenApiResponse(description="permission_denied")
# Смотреть импорт: своё — с правом запуска, чужое — с правом просмотра журнала.
SEE_IMPORTS = (exchange_permissions.RUN_IMPORT, exchange_permissions.VIEW_ALL_IMPORTS)
SEE_EXPORTS = (exchange_permissions.RUN_EXPORT, exchange_permissions.VIEW_ALL_EXPORTS)


class ExchangeApi(APIView):
    authentication_classes = [JWTAuthentication, SessionAuthentication]
    permission_classes = [StaffPermissions]
    required_permissions = None  # у каждого представления — свой список (StaffPermissions)

    def import_job(self, pk):
        job = selectors.import_job_get(user=self.request.user, pk=pk)
        if job is None:
            raise JobNotFound()
        return job

    def export_job(self, pk):
        job = selectors.export_job_get(user=self.request.user, pk=pk)
        if job is None:
            raise JobNotFound()
        return job


class ImportUploadApi(ExchangeApi, generics.ListAPIView):
    """Список импортов (видимых пользователю) и загрузка файла: проверка сразу, пробный прогон — в очереди."""

    parser_classes = [MultiPartParser, FormParser]
    required_permissions = {"GET": [SEE_IMPORTS], "POST": [exchange_permissions.RUN_IMPORT]}
    serializer_class = serializers.ImportJobListSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        return selectors.import_jobs_visible(user=self.request.user)

    @extend_schema(
        tags=TAGS, summary="Список импортов", responses={200: serializers.ImportJobListSerializer(many=True)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Загрузить файл каталога",
        request=serializers.ImportUploadSerializer,
        responses={
            202: serializers.ImportJobSerializer,
            400: OpenApiResponse(description="validation_error"),
            403: FORBIDDEN,
        },
    )
    def post(self, request):
        data = serializers.ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.import_job_create(
            user=request.user,
            uploaded_file=data.validated_data["file"],
            mode=data.validated_data["mode"],
            create_missing=data.validated_data["create_missing"],
        )
        return Response(serializers.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportJobApi(ExchangeApi):
    """Состояние импорта: ход (процент, строк/с), счётчики, предпросмотр, ошибки."""

    required_permissions = [SEE_IMPORTS]

    @extend_schema(
        tags=TAGS,
        summary="Состояние импорта",
        responses={200: serializers.ImportJobSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(serializers.ImportJobSerializer(self.import_job(pk)).data)


class ImportConfirmApi(ExchangeApi):
    """Подтвердить проверенный импорт: нужны права и на то, что он меняет (цены, остатки…)."""

    parser_classes = [JSONParser, FormParser]
    required_permissions = [exchange_permissions.RUN_IMPORT]

    @extend_schema(
        tags=TAGS,
        summary="Подтвердить импорт",
        request=None,
        responses={
            202: serializers.ImportJobSerializer,
            403: OpenApiResponse(description=f"permission_denied, {error_codes.IMPORT_PERMISSION_DENIED}"),
            404: NOT_FOUND,
            409: OpenApiResponse(description=error_codes.JOB_STATE_INVALID),
        },
    )
    def post(self, request, pk):
        job = services.import_job_confirm(job=self.import_job(pk), user=request.user)
        return Response(serializers.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportRejectedApi(ExchangeApi):
    """Скачать файл отклонённых строк (столбец reason — причина)."""

    required_permissions = [SEE_IMPORTS]

    @extend_schema(
        tags=TAGS,
        summary="Скачать отклонённые строки",
        responses={200: FILE_RESPONSE, 404: OpenApiResponse(description=error_codes.REJECTED_FILE_MISSING)},
    )
    def get(self, request, pk):
        job = self.import_job(pk)
        if not job.rejected_file:
            raise FileMissing()
        name = job.rejected_file.name.rsplit("/", 1)[-1]
        return FileResponse(job.rejected_file.open("rb"), as_attachment=True, filename=name)


class ExportCreateApi(ExchangeApi, generics.ListAPIView):
    """Список экспортов (видимых пользователю) и заказ экспорта каталога (фильтры: категория, регион)."""

    parser_classes = [JSONParser, FormParser]
    required_permissions = {"GET": [SEE_EXPORTS], "POST": [exchange_permissions.RUN_EXPORT]}
    serializer_class = serializers.ExportJobSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        return selectors.export_jobs_visible(user=self.request.user)

    @extend_schema(tags=TAGS, summary="Список экспортов", responses={200: serializers.ExportJobSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Заказать экспорт каталога",
        request=serializers.ExportCreateSerializer,
        responses={
            202: serializers.ExportJobSerializer,
            400: OpenApiResponse(description="validation_error"),
            403: FORBIDDEN,
        },
    )
    def post(self, request):
        data = serializers.ExportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = export.export_job_create(user=request.user, **data.validated_data)
        return Response(serializers.ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ExportJobApi(ExchangeApi):
    """Состояние экспорта."""

    required_permissions = [SEE_EXPORTS]

    @extend_schema(
        tags=TAGS,
        summary="Состояние экспорта",
        responses={200: serializers.ExportJobSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(serializers.ExportJobSerializer(self.export_job(pk)).data)


class ExportDownloadApi(ExchangeApi):
    """Скачать готовый файл экспорта."""

    required_permissions = [SEE_EXPORTS]

    @extend_schema(
        tags=TAGS,
        summary="Скачать экспорт",
        responses={
            200: FILE_RESPONSE,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(description=error_codes.EXPORT_NOT_READY),
        },
    )
    def get(self, request, pk):
        job = self.export_job(pk)
        if job.status != ExportStatus.DONE or not job.file:
            raise ExportNotReady()
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
