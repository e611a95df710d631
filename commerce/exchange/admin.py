"""Журнал обмена в Django admin: импорты и экспорты с ходом, счётчиками и файлами."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from commerce.exchange.models import ExportJob, ImportJob
from commerce.exchange.progress import progress_get


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Импорты только для чтения: журнал аудита не правят руками."""

    list_display = ["id", "original_name", "user", "status", "progress", "rows_total", "rows_rejected", "created_at"]
    list_filter = ["status", "mode"]
    search_fields = ["original_name", "user__username"]
    readonly_fields = [field.name for field in ImportJob._meta.fields] + ["progress"]

    @admin.display(description=_("ход"))
    def progress(self, job):
        live = progress_get(kind="import", job_id=job.pk)
        if not live:
            return "—"
        return f"{live['percent']}% · {live['rows']} строк · {live['rows_per_second']} строк/с"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "file_format", "user", "status", "rows_total", "rows_per_second", "created_at"]
    list_filter = ["status", "file_format"]
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
