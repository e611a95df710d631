"""Журнал обмена: каждый импорт и экспорт — строка с файлом, автором, счётчиками и ошибками.

Файл импорта хранится для аудита (кто, что и когда загрузил), файл отклонённых строк — для
исправления и повторной загрузки. Ход выполнения (процент, строк в секунду) во время работы
лежит в кэше (progress.py): импорт идёт в одной транзакции, и её записи в эту таблицу не
видны до фиксации; в базу ход записывается в конце.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMode(models.TextChoices):
    """Что делать со строками с ошибками."""

    ALL_OR_NOTHING = "all_or_nothing", _("Всё или ничего")
    SKIP_INVALID = "skip_invalid", _("Применить верные строки, вернуть файл отклонённых")


class ImportStatus(models.TextChoices):
    """Состояние импорта: проверка (пробный прогон) → предпросмотр → применение → итог."""

    UPLOADED = "uploaded", _("Загружен")
    VALIDATING = "validating", _("Проверяется")
    PREVIEW = "preview", _("Проверен, ждёт подтверждения")
    APPLYING = "applying", _("Применяется")
    DONE = "done", _("Применён")
    REJECTED = "rejected", _("Отклонён: есть ошибки")
    FAILED = "failed", _("Файл не прочитан")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class ImportJob(models.Model):
    """Импорт каталога из файла: кто, когда, файл, режим, ход, счётчики, ошибки."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("файл"), upload_to="exchange/imports/%Y/%m/")
    original_name = models.CharField(_("имя файла"), max_length=255, blank=True)
    file_format = models.CharField(_("формат"), max_length=8, choices=FileFormat.choices, blank=True)
    mode = models.CharField(_("режим"), max_length=20, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    create_missing = models.BooleanField(
        _("создавать категории и бренды"), default=False, help_text=_("Создавать недостающие категории и бренды.")
    )
    status = models.CharField(
        _("состояние"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("начат"), null=True, blank=True)
    finished_at = models.DateTimeField(_("закончен"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("подтверждён"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("строк"), default=0)
    rows_created = models.PositiveIntegerField(_("создано"), default=0)
    rows_updated = models.PositiveIntegerField(_("изменено"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("без изменений"), default=0)
    rows_rejected = models.PositiveIntegerField(_("отклонено"), default=0)
    rows_per_second = models.FloatField(_("строк в секунду"), default=0)
    error_code = models.CharField(_("код ошибки"), max_length=64, blank=True)
    error_message = models.TextField(_("ошибка"), blank=True)
    errors = models.JSONField(_("ошибки строк"), default=list, blank=True)
    preview = models.JSONField(_("предпросмотр"), default=list, blank=True)
    rejected_file = models.FileField(_("отклонённые строки"), upload_to="exchange/rejected/%Y/%m/", blank=True)
    # Права на записи, которые сделает применение (по пробному прогону): их проверяет подтверждение.
    required_permissions = models.JSONField(_("нужные права"), default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("подтвердил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("импорт каталога")
        verbose_name_plural = _("импорты каталога")
        ordering = ["-created_at", "-id"]
        permissions = [("run_import", _("Может импортировать каталог"))]

    def __str__(self):
        return f"#{self.pk} {self.original_name}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("В очереди")
    RUNNING = "running", _("Выполняется")
    DONE = "done", _("Готов")
    FAILED = "failed", _("Ошибка")


class ExportJob(models.Model):
    """Экспорт каталога в файл (с фильтрами по категории и региону)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_format = models.CharField(_("формат"), max_length=8, choices=FileFormat.choices, default=FileFormat.XLSX)
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("категория"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Только товары этой категории и её подкатегорий."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("регион"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Только цены и остатки этого региона (и базовый прайс-лист)."),
    )
    status = models.CharField(_("состояние"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("закончен"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("строк"), default=0)
    rows_per_second = models.FloatField(_("строк в секунду"), default=0)
    file = models.FileField(_("файл"), upload_to="exchange/exports/%Y/%m/", blank=True)
    error_message = models.TextField(_("ошибка"), blank=True)

    class Meta:
        verbose_name = _("экспорт каталога")
        verbose_name_plural = _("экспорты каталога")
        ordering = ["-created_at", "-id"]
        permissions = [("run_export", _("Может выгружать каталог"))]

    def __str__(self):
        return f"#{self.pk} {self.file_format}"
