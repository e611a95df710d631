"""API обмена /api/v1/exchange/: загрузка, состояние задания, подтверждение, отклонённые строки, экспорт.

Только для сотрудников (is_staff). Представления тонкие: проверить ввод, позвать сервис,
отдать задание. Тяжёлая работа — в задачах Celery; ход читается из кэша.
"""

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from commerce.exchange import error_codes, services
from commerce.exchange.api import serializers
from commerce.exchange.models import ExportJob, ExportStatus, ImportJob


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


class ExchangeApi(APIView):
    authentication_classes = [JWTAuthentication, SessionAuthentication]
    permission_classes = [IsAdminUser]

    def import_job(self, pk):
        job = ImportJob.objects.filter(pk=pk).first()
        if job is None:
            raise JobNotFound()
        return job


class ImportUploadApi(ExchangeApi):
    """Загрузить файл: проверка стражами и заголовком сразу, пробный прогон — в очереди."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Загрузить файл каталога",
        request=serializers.ImportUploadSerializer,
        responses={202: serializers.ImportJobSerializer, 400: OpenApiResponse(description="validation_error")},
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

    @extend_schema(
        tags=TAGS, summary="Состояние импорта", responses={200: serializers.ImportJobSerializer, 404: NOT_FOUND}
    )
    def get(self, request, pk):
        return Response(serializers.ImportJobSerializer(self.import_job(pk)).data)


class ImportConfirmApi(ExchangeApi):
    """Подтвердить проверенный импорт."""

    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Подтвердить импорт",
        request=None,
        responses={202: serializers.ImportJobSerializer, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        job = services.import_job_confirm(job=self.import_job(pk))
        return Response(serializers.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportRejectedApi(ExchangeApi):
    """Скачать файл отклонённых строк (столбец reason — причина)."""

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


class ExportCreateApi(ExchangeApi):
    """Заказать экспорт каталога (фильтры: категория, регион)."""

    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Заказать экспорт каталога",
        request=serializers.ExportCreateSerializer,
        responses={202: serializers.ExportJobSerializer, 400: OpenApiResponse(description="validation_error")},
    )
    def post(self, request):
        data = serializers.ExportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.export_job_create(user=request.user, **data.validated_data)
        return Response(serializers.ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ExportJobApi(ExchangeApi):
    """Состояние экспорта."""

    @extend_schema(
        tags=TAGS, summary="Состояние экспорта", responses={200: serializers.ExportJobSerializer, 404: NOT_FOUND}
    )
    def get(self, request, pk):
        job = ExportJob.objects.filter(pk=pk).first()
        if job is None:
            raise JobNotFound()
        return Response(serializers.ExportJobSerializer(job).data)


class ExportDownloadApi(ExchangeApi):
    """Скачать готовый файл экспорта."""

    @extend_schema(
        tags=TAGS,
        summary="Скачать экспорт",
        responses={200: FILE_RESPONSE, 404: NOT_FOUND, 409: OpenApiResponse(description=error_codes.EXPORT_NOT_READY)},
    )
    def get(self, request, pk):
        job = ExportJob.objects.filter(pk=pk).first()
        if job is None:
            raise JobNotFound()
        if job.status != ExportStatus.DONE or not job.file:
            raise ExportNotReady()
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
