"""Сброс ответов каталога в CDN при изменениях (core.cdn, wagtail.contrib.frontend_cache).

Ответы каталога несут ключи ``catalog``, ``product-<id>`` (карточка и списки с этим товаром) и
``region-<код>``. Правка товара, варианта, цены или остатка сбрасывает ``product-<id>`` и адрес
карточки; правка структуры (категории, бренды, атрибуты) — всё с ключом ``catalog``. Новый
товар в уже сохранённых списках появится не позже CDN_S_MAXAGE: по ключам его там ещё нет.
Работает, только если сброс настроен (CDN_PURGE_VARNISH_URL); иначе — ничего не делает.
"""

from django.dispatch import receiver

from commerce.catalog.models import Product, Variant
from commerce.catalog.senders import CDN_PURGE_SENDERS, OFFER_SOURCE_MODELS, STRUCTURE_MODELS, catalog_receiver_connect
from commerce.inventory.models import Stock
from commerce.inventory.signals import stocks_changed
from core.cdn import cdn_purge_enabled, cdn_purge_keys, cdn_purge_urls


def product_purge(*, product_id, slug=None):
    """Сбросить ответы с товаром: по ключу и по адресу карточки (для CDN без ключей)."""
    cdn_purge_keys([f"product-{product_id}"])
    if slug:
        cdn_purge_urls([f"/api/v1/catalog/products/{slug}/"])


def catalog_cdn_purge(sender, instance, **kwargs):
    """Сбросить в CDN ответы, которые зависят от изменённой строки каталога (senders.CDN_PURGE_SENDERS)."""
    if not cdn_purge_enabled():
        return
    if sender is Product:
        product_purge(product_id=instance.pk, slug=instance.slug)
    elif sender is Variant:
        product_purge(product_id=instance.product_id)
    elif sender in OFFER_SOURCE_MODELS:
        product_id = Variant.objects.filter(pk=instance.variant_id).values_list("product_id", flat=True).first()
        if product_id is not None:
            product_purge(product_id=product_id)
    elif sender in STRUCTURE_MODELS:
        cdn_purge_keys(["catalog"])


catalog_receiver_connect(catalog_cdn_purge, senders=CDN_PURGE_SENDERS)


@receiver(stocks_changed, sender=Stock)
def stocks_cdn_purge(sender, stocks, **kwargs):
    """Сбросить в CDN ответы с товарами пачки остатков (резерв оформления пишет их одной командой)."""
    if not cdn_purge_enabled():
        return
    variant_ids = {stock.variant_id for stock in stocks}
    for product_id in sorted(set(Variant.objects.filter(pk__in=variant_ids).values_list("product_id", flat=True))):
        product_purge(product_id=product_id)
