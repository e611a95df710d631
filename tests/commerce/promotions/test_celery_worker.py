"""Переключение скидок каталога через настоящий воркер Celery и Redis: после правки акции и по дате."""

from datetime import timedelta

import pytest
from django.utils import timezone

from commerce.catalog.models import ProductOffer
from commerce.catalog.offers import product_offer_refresh
from commerce.promotions.models import Promotion, PromotionKind
from commerce.promotions.tasks import catalog_promotions_switch
from tests.commerce.promotions.conftest import promotion_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_switches_a_started_catalog_promotion_on_and_an_ended_one_off(shop, celery_worker):
    # given: скидка 10 % на рубашку начнётся завтра; сохранение поставило воркеру пересчёт
    promotion = promotion_create(
        kind=PromotionKind.CATALOG,
        value="10",
        products=[shop.shirt.product],
        label="−10 %",
        starts_at=timezone.now() + timedelta(days=1),
    )
    product_offer_refresh()  # магазин фикстуры собран bulk_create, мимо пересчёта предложений
    # воркер один (pool solo) и берёт задачи по очереди: эта — после пересчёта от сохранения
    assert catalog_promotions_switch.delay().get(timeout=60) == 0
    assert ProductOffer.objects.get(product=shop.shirt.product, region=shop.msk).price == 2500
    # when: дата начала наступила — воркер выполняет задачу beat
    Promotion.objects.filter(pk=promotion.pk).update(starts_at=timezone.now() - timedelta(seconds=1))
    assert catalog_promotions_switch.delay().get(timeout=60) == 1
    # then
    offer = ProductOffer.objects.get(product=shop.shirt.product, region=shop.msk)
    assert (offer.price, offer.old_price, offer.discount_label) == (2250, 2500, "−10 %")
    # when: акция закончилась
    Promotion.objects.filter(pk=promotion.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert catalog_promotions_switch.delay().get(timeout=60) == 1
    offer.refresh_from_db()
    assert (offer.price, offer.old_price, offer.discount_label) == (2500, None, "")
