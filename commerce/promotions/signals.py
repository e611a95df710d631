"""Правка акции или промокода сбрасывает снимок акций; правка скидки каталога пересчитывает цены.

Пересчёт — задачей после фиксации: M2M акции (товары, регионы) ClusterableModel пишет уже
после post_save, а задача видит итог всей транзакции.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from commerce.promotions.models import PromoCode, Promotion, PromotionKind
from commerce.promotions.snapshot import promotions_snapshot_invalidate
from commerce.promotions.tasks import catalog_promotions_reapply


@receiver(post_save, sender=Promotion)
@receiver(post_delete, sender=Promotion)
def promotion_changed(sender, instance, **kwargs):
    promotions_snapshot_invalidate()
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"is_live"}:
        return
    if instance.kind == PromotionKind.CATALOG or instance.is_live:
        transaction.on_commit(catalog_promotions_reapply.delay)


@receiver(post_save, sender=PromoCode)
@receiver(post_delete, sender=PromoCode)
def promo_code_changed(sender, instance, **kwargs):
    promotions_snapshot_invalidate()
