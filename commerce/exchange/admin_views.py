"""Страницы Wagtail admin для импорта: загрузка файла → предпросмотр → подтверждение.

Тонкие представления над теми же сервисами, что и API (services.import_job_create,
services.import_job_confirm): проверка файла, пробный прогон в очереди и применение — одни и
те же. Права — те же, что у API (commerce/exchange/permissions.py): загрузка и подтверждение —
exchange.run_import и права на то, что импорт меняет; страница задания — свои задания или
все с exchange.view_importjob. Без права — 403.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic

from commerce.exchange import export, selectors, services
from commerce.exchange import permissions as exchange_permissions
from commerce.exchange.admin_review import import_review_summary, preview_rows_labelled
from commerce.exchange.models import ExportStatus, ImportMode, ImportStatus
from commerce.exchange.progress import progress_get

URL_NAMESPACE = "exchange_upload"
RUNNING = {ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.APPLYING}
PREVIEW_ROWS = 200


class ImportUploadForm(forms.Form):
    """Файл импорта и режим; проверка самого файла — в сервисе."""

    file = forms.FileField(label=gettext_lazy("Файл XLSX или CSV"))
    mode = forms.ChoiceField(label=gettext_lazy("Режим"), choices=ImportMode.choices, initial=ImportMode.ALL_OR_NOTHING)
    create_missing = forms.BooleanField(label=gettext_lazy("Создавать недостающие категории и бренды"), required=False)


def _permission_check(request, *codes):
    """Пустить, если у пользователя есть хотя бы одно из прав codes; иначе 403."""
    if not any(request.user.has_perm(code) for code in codes):
        raise PermissionDenied


def import_upload(request):
    """Принять файл: проверка сразу, пробный прогон — в очереди; затем страница предпросмотра."""
    _permission_check(request, exchange_permissions.RUN_IMPORT)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.import_job_create(
                    user=request.user,
                    uploaded_file=form.cleaned_data["file"],
                    mode=form.cleaned_data["mode"],
                    create_missing=form.cleaned_data["create_missing"],
                )
            except services.ExchangeFileInvalid as error:
                form.add_error("file", str(error.detail))
            else:
                return redirect(reverse(f"{URL_NAMESPACE}:review", args=[job.pk]))
        status = 400
    context = {"page_title": _("Загрузка каталога"), "header_icon": "upload", "form": form}
    return TemplateResponse(request, "exchange/admin/import_upload.html", context, status=status)


def import_review(request, pk):
    """Показать ход и предпросмотр импорта; POST — подтвердить проверенный импорт."""
    _permission_check(request, exchange_permissions.RUN_IMPORT, exchange_permissions.VIEW_ALL_IMPORTS)
    job = selectors.import_job_get(user=request.user, pk=pk)
    if job is None:
        raise Http404
    if request.method == "POST":
        _permission_check(request, exchange_permissions.RUN_IMPORT)
        try:
            services.import_job_confirm(job=job, user=request.user)
        except services.ImportPermissionDenied as error:
            raise PermissionDenied(str(error.detail)) from error
        except services.ExchangeJobStateInvalid as error:
            messages.error(request, str(error.detail))
        else:
            messages.success(request, _("Импорт подтверждён и применяется."))
        return redirect(reverse(f"{URL_NAMESPACE}:review", args=[job.pk]))
    missing = services.import_confirm_permissions_missing(job=job, user=request.user)
    can_confirm = job.status == ImportStatus.PREVIEW and (job.mode == ImportMode.SKIP_INVALID or not job.rows_rejected)
    context = {
        "page_title": _("Импорт #%(id)s: %(name)s") % {"id": job.pk, "name": job.original_name},
        "header_icon": "upload",
        "job": job,
        "running": job.status in RUNNING,
        "progress": progress_get(kind="import", job_id=job.pk),
        "preview": preview_rows_labelled(job.preview[:PREVIEW_ROWS]),
        "summary": import_review_summary(job=job, can_confirm=can_confirm and not missing),
        "upload_url": reverse(f"{URL_NAMESPACE}:upload"),
        "errors": job.errors[:PREVIEW_ROWS],
        "can_confirm": can_confirm and not missing,
        "required_permissions": exchange_permissions.permissions_describe(job.required_permissions),
        "missing_permissions": exchange_permissions.permissions_describe(missing),
        "rejected_url": reverse("exchange-job-rejected", args=[job.pk]) if job.rejected_file else "",
    }
    return TemplateResponse(request, "exchange/admin/import_review.html", context)


def import_add_redirect(request):
    """«Добавить» в журнале импортов: импорт начинается с загрузки файла, а не с формы задания."""
    _permission_check(request, exchange_permissions.RUN_IMPORT)
    return redirect(reverse(f"{URL_NAMESPACE}:upload"))


class ImportJobIndexView(generic.IndexView):
    """Журнал импортов: строка открывает страницу проверки задания, «Добавить» — загрузку файла."""

    def get_add_url(self):
        if self.user_has_permission("add"):
            return reverse(f"{URL_NAMESPACE}:upload")
        return None

    def get_edit_url(self, instance):
        return reverse(f"{URL_NAMESPACE}:review", args=[instance.pk])


class ExportJobIndexView(generic.IndexView):
    """Журнал экспортов: готовая строка открывает файл выгрузки."""

    def get_edit_url(self, instance):
        if instance.status == ExportStatus.DONE and instance.file:
            return reverse("exchange-export-download", args=[instance.pk])
        return None


class ExportJobCreateView(generic.CreateView):
    """Форма выгрузки: задание создаёт и ставит в очередь тот же сервис, что и API (export_job_create)."""

    def save_instance(self):
        data = self.form.cleaned_data
        return export.export_job_create(
            user=self.request.user,
            file_format=data["file_format"],
            category=data.get("category"),
            region=data.get("region"),
        )

    def get_success_message(self, instance):
        return _("Выгрузка #%(id)s поставлена в очередь: файл появится в журнале, когда она закончится.") % {
            "id": instance.pk
        }

    def get_success_buttons(self):
        return []

    def get_edit_url(self):
        return reverse(self.index_url_name)
