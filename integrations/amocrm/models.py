"""Сделка amoCRM заказа: этап и ответственный менеджер, как их видит amoCRM.

Id сделки — в сопоставлениях ядра (ExternalId вида «заказ»); здесь — то, что менеджер меняет
в amoCRM и что магазин показывает сотрудникам: этап воронки и ответственного. Пишут записи
только обработка вебхуков и синхронизация (integrations.amocrm.inbound).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AmoDeal(models.Model):
    """Состояние сделки заказа в amoCRM по последнему перечитыванию из API."""

    connection = models.ForeignKey(
        "integrations_core.Connection", verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="+"
    )
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("заказ"), on_delete=models.CASCADE, related_name="amocrm_deals"
    )
    lead_id = models.BigIntegerField(_("id сделки"))
    pipeline_id = models.BigIntegerField(_("воронка"), null=True, blank=True)
    status_id = models.BigIntegerField(_("этап"), null=True, blank=True)
    responsible_user_id = models.BigIntegerField(_("id ответственного"), null=True, blank=True)
    responsible_name = models.CharField(_("ответственный"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("перечитано"), auto_now=True)

    class Meta:
        verbose_name = _("сделка amoCRM")
        verbose_name_plural = _("сделки amoCRM")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["connection", "order"], name="integrations_amocrm_deal_order"),
        ]

    def __str__(self):
        return f"{self.order} → {self.lead_id}"
