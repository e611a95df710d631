"""Сброс снимка регионов при любом изменении региона."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from regions.models import Region
from regions.registry import region_registry_invalidate


@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
def region_changed(**kwargs):
    """Сменить версию сразу и ещё раз после фиксации транзакции.

    Первая смена видна этому процессу немедленно; вторая не даёт другому процессу,
    прочитавшему регионы до фиксации, закэшировать старые данные под новой версией.
    """
    region_registry_invalidate()
    transaction.on_commit(region_registry_invalidate)
