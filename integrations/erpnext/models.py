"""Курсоры инкрементальной загрузки из ERPNext: до какого ``modified`` каждый DocType уже прочитан.

``modified`` хранится строкой, как её отдаёт Frappe (время сервера ERPNext без зоны): сравнивать
его с нашим временем нельзя, зато фильтр ``["modified", ">", курсор]`` сравнивает на стороне ERPNext.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PullCursor(models.Model):
    """Последний прочитанный ``modified`` документа вида ``doctype`` у подключения."""

    connection = models.ForeignKey(
        "integrations_core.Connection", verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="+"
    )
    doctype = models.CharField(_("DocType"), max_length=140)
    modified = models.CharField(_("modified в ERPNext"), max_length=40)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("курсор загрузки ERPNext")
        verbose_name_plural = _("курсоры загрузки ERPNext")
        constraints = [
            models.UniqueConstraint(fields=["connection", "doctype"], name="integrations_erpnext_cursor_unique"),
        ]

    def __str__(self):
        return f"{self.connection} {self.doctype} {self.modified}"
