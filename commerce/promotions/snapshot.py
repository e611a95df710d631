"""Снимок включённых акций в общем кэше: одно чтение из кэша вместо запросов на каждый ответ.

Каталог (карточка), корзина и оформление читают акции на каждом запросе. Снимок строится
из базы (акция и её товары и регионы — несколько запросов) и хранится под версией; любая
правка акции и переключение скидок каталога задачей beat меняют версию — сейчас и после
фиксации транзакции (как версии каталога в commerce.catalog.cache).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from commerce.promotions.calculations import Rule, Targets
from commerce.promotions.models import Promotion, PromotionKind

VERSION_KEY = "promotions:version"
SNAPSHOT_KEY = "promotions:snapshot:{version}"
SNAPSHOT_TIMEOUT = 60 * 60


@dataclass(frozen=True)
class PromotionEntry:
    """Акция в снимке: правило расчёта и условия, которые проверяются до расчёта."""

    rule: Rule
    kind: str
    region_ids: frozenset
    starts_at: datetime
    ends_at: datetime | None
    is_live: bool
    first_order_only: bool
    usage_limit: int | None
    per_customer_limit: int | None

    def serves_region(self, region_id):
        return not self.region_ids or region_id in self.region_ids

    def is_running(self, now):
        return self.starts_at <= now and (self.ends_at is None or now < self.ends_at)


def rule_from_promotion(promotion, *, code=""):
    """Собрать правило расчёта из акции (её M2M должны быть предзагружены)."""
    return Rule(
        id=promotion.pk,
        name=promotion.name,
        kind=promotion.kind,
        effect=promotion.effect,
        discount_type=promotion.discount_type,
        value=promotion.discount_value,
        nth_item=promotion.nth_item,
        gift_variant_id=promotion.gift_variant_id,
        label=promotion.label,
        priority=promotion.priority,
        is_exclusive=promotion.is_exclusive,
        skip_discounted_items=promotion.skip_discounted_items,
        min_subtotal=promotion.min_subtotal,
        targets=Targets(
            category_ids=frozenset(item.pk for item in promotion.categories.all()),
            brand_ids=frozenset(item.pk for item in promotion.brands.all()),
            choice_ids=frozenset(item.pk for item in promotion.attribute_choices.all()),
            product_ids=frozenset(item.pk for item in promotion.products.all()),
        ),
        code=code,
    )


def promotions_with_targets():
    """Акции с предзагруженными товарами и регионами (число запросов не зависит от числа акций)."""
    return Promotion.objects.prefetch_related("regions", "categories", "brands", "attribute_choices", "products")


def entry_from_promotion(promotion, *, code=""):
    return PromotionEntry(
        rule=rule_from_promotion(promotion, code=code),
        kind=promotion.kind,
        region_ids=frozenset(region.pk for region in promotion.regions.all()),
        starts_at=promotion.starts_at,
        ends_at=promotion.ends_at,
        is_live=promotion.is_live,
        first_order_only=promotion.first_order_only,
        usage_limit=promotion.usage_limit,
        per_customer_limit=promotion.per_customer_limit,
    )


def _build():
    # Акции промокодов — тоже здесь: оформление и корзина берут правило кода из снимка, а из
    # базы читают только строку кода (один запрос вместо семи).
    queryset = promotions_with_targets().filter(is_active=True)
    # Выключенная, но ещё «живая» в каталоге скидка остаётся в снимке, пока beat её не снимет:
    # список и карточка должны совпадать до переключения.
    live_off = promotions_with_targets().filter(is_active=False, is_live=True)
    return tuple(entry_from_promotion(item) for item in [*queryset, *live_off])


def promotions_snapshot():
    """Вернуть кортеж PromotionEntry всех включённых акций (каталог, корзина, промокоды)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "uncached"
    key = SNAPSHOT_KEY.format(version=version)
    entries = cache.get(key)
    if entries is None:
        entries = _build()
        cache.set(key, entries, timeout=SNAPSHOT_TIMEOUT)
    return entries


def promotions_snapshot_invalidate():
    """Сменить версию снимка сейчас и после фиксации текущей транзакции."""

    def bump():
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def catalog_rules_live(*, region_id):
    """Скидки каталога, которые сейчас отражены в предложениях (is_live), для региона."""
    return [
        entry.rule
        for entry in promotions_snapshot()
        if entry.kind == PromotionKind.CATALOG and entry.is_live and entry.serves_region(region_id)
    ]


def catalog_entries_live():
    """Все «живые» скидки каталога (для пересчёта предложений во всех регионах)."""
    return [entry for entry in promotions_snapshot() if entry.kind == PromotionKind.CATALOG and entry.is_live]


def cart_entries_running(*, region_id, now=None):
    """Автоматические правила корзины, которые идут сейчас в регионе."""
    now = now or timezone.now()
    return [
        entry
        for entry in promotions_snapshot()
        if entry.kind == PromotionKind.CART and entry.serves_region(region_id) and entry.is_running(now)
    ]


def code_entry_get(*, promotion_id):
    """Включённая акция промокода из снимка по id или None (нет в снимке — читайте из базы)."""
    entries = (entry for entry in promotions_snapshot() if entry.kind == PromotionKind.CODE)
    return next((entry for entry in entries if entry.rule.id == promotion_id), None)
