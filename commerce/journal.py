"""Журналы «только дополнение»: история статусов заказа, события платежей.

Запись журнала создаётся один раз и больше не меняется и не удаляется — ни через объект
(save/delete), ни массово через QuerySet (update/delete). Для журнала платежей это
дополнительно закреплено триггером PostgreSQL.
"""

from django.db import models

APPEND_ONLY_MESSAGE = "Журнал только дополняется: запись нельзя изменить или удалить."


class AppendOnlyQuerySet(models.QuerySet):
    """QuerySet журнала: массовые изменение и удаление запрещены."""

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY_MESSAGE)

    def delete(self):
        raise TypeError(APPEND_ONLY_MESSAGE)


class AppendOnlyModel(models.Model):
    """Абстрактная запись журнала: сохраняется только при создании, не удаляется."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY_MESSAGE)
