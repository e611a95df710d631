"""Модели обмена с 1С: сессия обмена, принятые файлы, задания загрузки, выгруженные заказы."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeType(models.TextChoices):
    CATALOG = "catalog", _("каталог")
    SALE = "sale", _("заказы")


class ExchangeSession(models.Model):
    """Сессия обмена: от checkauth до конца; cookie сессии авторизует остальные вызовы 1С."""

    connection = models.ForeignKey(
        "integrations_core.Connection", verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="+"
    )
    type = models.CharField(_("тип"), max_length=10, choices=ExchangeType.choices)
    token = models.CharField(_("токен cookie"), max_length=64, unique=True)
    remote_addr = models.GenericIPAddressField(_("IP 1С"), null=True, blank=True)
    created_at = models.DateTimeField(_("начата"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("последний запрос"), auto_now=True)
    sync_run = models.ForeignKey(
        "integrations_core.SyncRun",
        verbose_name=_("запись журнала"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Заказы, отданные последним mode=query: {id заказа: updated_at ISO} — их отметит mode=success.
    sent_orders = models.JSONField(_("отданные заказы"), default=dict, blank=True)

    class Meta:
        verbose_name = _("сессия обмена с 1С")
        verbose_name_plural = _("сессии обмена с 1С")
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.connection} {self.type} {self.created_at:%Y-%m-%d %H:%M}"


class ExchangeFile(models.Model):
    """Файл, принятый от 1С в сессии (для журнала и разбора): имя, размер, сколько частей."""

    session = models.ForeignKey(
        ExchangeSession, verbose_name=_("сессия"), on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(_("файл"), max_length=255)
    size = models.BigIntegerField(_("размер, байт"), default=0)
    chunks = models.PositiveIntegerField(_("частей"), default=0)
    received_at = models.DateTimeField(_("принят"), auto_now=True)

    class Meta:
        verbose_name = _("файл обмена")
        verbose_name_plural = _("файлы обмена")
        constraints = [models.UniqueConstraint(fields=["session", "name"], name="integrations_onec_file_unique")]

    def __str__(self):
        return self.name


class ImportState(models.TextChoices):
    QUEUED = "queued", _("в очереди")
    RUNNING = "running", _("идёт")
    OK = "ok", _("загружен")
    FAILED = "failed", _("ошибка")


class ExchangeImport(models.Model):
    """Загрузка одного XML сессии (mode=import): идёт в Celery, 1С спрашивает итог повтором запроса."""

    session = models.ForeignKey(
        ExchangeSession, verbose_name=_("сессия"), on_delete=models.CASCADE, related_name="imports"
    )
    filename = models.CharField(_("файл"), max_length=255)
    state = models.CharField(_("состояние"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    error = models.TextField(_("ошибка"), blank=True)
    counts = models.JSONField(_("счётчики"), default=dict, blank=True)
    started_at = models.DateTimeField(_("начата"), auto_now_add=True)
    finished_at = models.DateTimeField(_("закончена"), null=True, blank=True)

    class Meta:
        verbose_name = _("загрузка файла 1С")
        verbose_name_plural = _("загрузки файлов 1С")
        constraints = [models.UniqueConstraint(fields=["session", "filename"], name="integrations_onec_import_unique")]

    def __str__(self):
        return f"{self.filename}: {self.state}"


class OrderExport(models.Model):
    """Заказ, который 1С подтвердила (mode=success), и версия заказа, которую она получила."""

    connection = models.ForeignKey(
        "integrations_core.Connection", verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="+"
    )
    order = models.ForeignKey("orders.Order", verbose_name=_("заказ"), on_delete=models.CASCADE, related_name="+")
    order_updated_at = models.DateTimeField(_("версия заказа"))
    exported_at = models.DateTimeField(_("выгружен"), auto_now=True)

    class Meta:
        verbose_name = _("заказ, выгруженный в 1С")
        verbose_name_plural = _("заказы, выгруженные в 1С")
        constraints = [
            models.UniqueConstraint(fields=["connection", "order"], name="integrations_onec_orderexport_unique")
        ]

    def __str__(self):
        return f"{self.order_id} → {self.connection}"
