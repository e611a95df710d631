"""Данные API сотрудников: журнал действий, ключи API, регионы сотрудника, заметки к заказам.

Журнал действий (StaffAction) только дополняется — как история статусов заказа: запись нельзя
изменить или удалить ни через объект, ни массово (commerce.journal.AppendOnlyModel). Ключ API
хранится только хешем SHA-256 секрета: показать его второй раз нельзя, можно отозвать.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from commerce.journal import AppendOnlyModel


class StaffAction(AppendOnlyModel):
    """Запись журнала: кто (сотрудник или ключ API), что сделал, с каким объектом, до и после."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    api_key = models.ForeignKey(
        "staffapi.ApiKey",
        verbose_name=_("ключ API"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Машинное имя действия: order.transition, order.note_add, offers.bulk_update, customer.pii_reveal…
    action = models.CharField(_("действие"), max_length=64, db_index=True)
    object_type = models.CharField(_("тип объекта"), max_length=64, blank=True, default="")
    object_id = models.CharField(_("объект"), max_length=64, blank=True, default="")
    object_repr = models.CharField(_("название объекта"), max_length=255, blank=True, default="")
    before = models.JSONField(_("до"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("после"), null=True, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField(_("адрес"), null=True, blank=True)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("действие сотрудника")
        verbose_name_plural = _("журнал действий сотрудников")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="staffapi_action_object")]

    def __str__(self):
        return f"{self.action} {self.object_repr}".strip()


class ApiKey(models.Model):
    """Ключ API для скриптов «сервер — сервер»: права группы, хеш секрета, отзыв.

    Запрос с ключом действует от имени владельца, но только в пределах прав группы ключа
    (пересечение прав владельца и группы): ключ не даёт больше, чем есть у человека.
    """

    name = models.CharField(_("название"), max_length=100)
    # Префикс — открытая часть ключа (по ней ищется строка); секрет хранится только хешем.
    prefix = models.CharField(_("префикс"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("хеш секрета"), max_length=64, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("владелец"), on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey("auth.Group", verbose_name=_("группа прав"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("последнее использование"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)

    class Meta:
        verbose_name = _("ключ API")
        verbose_name_plural = _("ключи API")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        """Действует ли ключ (не отозван)."""
        return self.revoked_at is None


class StaffRegionAccess(models.Model):
    """Регионы, которыми ограничен сотрудник; нет строки — доступны все регионы."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="staff_region_access",
    )
    regions = models.ManyToManyField("regions.Region", verbose_name=_("регионы"), related_name="+")

    class Meta:
        verbose_name = _("регионы сотрудника")
        verbose_name_plural = _("регионы сотрудников")

    def __str__(self):
        return str(self.user)


class OrderNote(AppendOnlyModel):
    """Служебная заметка менеджера к заказу (покупатель её не видит). Только добавление."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("заказ"), on_delete=models.CASCADE, related_name="staff_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("автор"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("текст"))
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("заметка к заказу")
        verbose_name_plural = _("заметки к заказам")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:50]
