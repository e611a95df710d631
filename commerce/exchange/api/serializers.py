"""Сериализаторы API обмена: вход загрузки и экспорта, выход задания."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from commerce.catalog.models import Category
from commerce.exchange.models import ExportJob, FileFormat, ImportJob, ImportMode
from commerce.exchange.progress import progress_get
from regions.models import Region

PROGRESS_SCHEMA = inline_serializer(
    name="ExchangeProgress",
    fields={
        "percent": serializers.FloatField(),
        "rows": serializers.IntegerField(),
        "rows_per_second": serializers.FloatField(allow_null=True),
        "stage": serializers.CharField(),
    },
)
COUNTS_SCHEMA = inline_serializer(
    name="ImportCounts",
    fields={name: serializers.IntegerField() for name in ("total", "created", "updated", "unchanged", "rejected")},
)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("XLSX или CSV"))
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    create_missing = serializers.BooleanField(default=False)


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    can_confirm = serializers.SerializerMethodField()
    rejected_file_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "status",
            "original_name",
            "file_format",
            "mode",
            "create_missing",
            "created_at",
            "started_at",
            "finished_at",
            "progress",
            "counts",
            "rows_per_second",
            "error_code",
            "error_message",
            "errors",
            "preview",
            "can_confirm",
            "required_permissions",
            "rejected_file_url",
        ]

    @extend_schema_field(PROGRESS_SCHEMA)
    def get_progress(self, job):
        live = progress_get(kind="import", job_id=job.pk)
        if live is not None and job.status in ("validating", "applying", "uploaded"):
            return live
        finished = job.status not in ("uploaded", "validating", "applying")
        return {
            "percent": 100.0 if finished else 0.0,
            "rows": job.rows_total,
            "rows_per_second": job.rows_per_second,
            "stage": job.status,
        }

    @extend_schema_field(COUNTS_SCHEMA)
    def get_counts(self, job):
        return {
            "total": job.rows_total,
            "created": job.rows_created,
            "updated": job.rows_updated,
            "unchanged": job.rows_unchanged,
            "rejected": job.rows_rejected,
        }

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_confirm(self, job):
        return job.status == "preview" and (job.mode == ImportMode.SKIP_INVALID or not job.rows_rejected)

    @extend_schema_field(OpenApiTypes.STR)
    def get_rejected_file_url(self, job):
        if not job.rejected_file:
            return None
        return f"/api/v1/exchange/jobs/{job.pk}/rejected/"


class ImportJobListSerializer(ImportJobSerializer):
    """Импорт в списке: без предпросмотра и ошибок строк (их — в карточке задания)."""

    class Meta(ImportJobSerializer.Meta):
        fields = [name for name in ImportJobSerializer.Meta.fields if name not in ("errors", "preview")]


class ExportCreateSerializer(serializers.Serializer):
    file_format = serializers.ChoiceField(choices=FileFormat.choices, default=FileFormat.XLSX)
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all(), required=False)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False)


class ExportJobSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "status",
            "file_format",
            "created_at",
            "finished_at",
            "rows_total",
            "rows_per_second",
            "progress",
            "download_url",
            "error_message",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, job):
        return f"/api/v1/exchange/exports/{job.pk}/download/" if job.file else None

    @extend_schema_field(PROGRESS_SCHEMA)
    def get_progress(self, job):
        return progress_get(kind="export", job_id=job.pk)
