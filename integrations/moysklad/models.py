"""Картинки МоегоСклада, уже скачанные в магазин: повторная синхронизация их не скачивает.

МойСклад даёт одинаковым картинкам (то же имя файла и содержимое) один id, поэтому id картинки —
надёжный ключ: скачанная однажды картинка дальше берётся из Wagtail по этой записи.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model_string


class MoyskladImage(models.Model):
    """Картинка МоегоСклада (id) → изображение Wagtail, скачанное из неё."""

    connection = models.ForeignKey(
        "integrations_core.Connection", verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="+"
    )
    image_id = models.CharField(_("id картинки в МоёмСкладе"), max_length=64)
    wagtail_image = models.ForeignKey(
        get_image_model_string(), verbose_name=_("изображение"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("скачано"), auto_now_add=True)

    class Meta:
        verbose_name = _("картинка МоегоСклада")
        verbose_name_plural = _("картинки МоегоСклада")
        constraints = [
            models.UniqueConstraint(fields=["connection", "image_id"], name="integrations_moysklad_image_unique"),
        ]

    def __str__(self):
        return f"{self.connection} {self.image_id} → {self.wagtail_image_id}"


class MoyskladSyncState(models.Model):
    """Курсоры синхронизации подключения: с какого момента брать изменённое в следующий раз.

    Отдельно от журнала синхронизаций: записи журнала пишут и вебхуки, а курсор двигает только
    законченная синхронизация каталога.
    """

    connection = models.OneToOneField(
        "integrations_core.Connection", verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="+"
    )
    catalog_since = models.DateTimeField(_("каталог изменён после"), null=True, blank=True)
    stock_since = models.DateTimeField(_("остатки изменены после"), null=True, blank=True)

    class Meta:
        verbose_name = _("курсор синхронизации МоегоСклада")
        verbose_name_plural = _("курсоры синхронизации МоегоСклада")

    def __str__(self):
        return f"{self.connection} {self.catalog_since}"
