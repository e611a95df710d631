"""Записи и расчёты акций: проверка промокода, скидки корзины, применение в заказе, переключение каталога.

Порядок блокировок при оформлении: корзина → остатки (commerce.orders) → акции → промокод,
каждые по возрастанию id; блокируются только строки с лимитами применений. Лимиты считаются
один раз уже под этими блокировками (checkout_promotions_lock), поэтому параллельные
оформления с кодом на 10 применений создают ровно 10 заказов со скидкой.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commerce.catalog.cache import catalog_cache_invalidate
from commerce.catalog.offers import product_offer_refresh
from commerce.promotions import calculations, customers, exceptions, selectors
from commerce.promotions.calculations import CartDiscounts
from commerce.promotions.catalog_prices import offer_labels_clear
from commerce.promotions.models import PromoCode, Promotion, PromotionKind, PromotionUsage
from commerce.promotions.snapshot import (
    cart_entries_running,
    promotions_snapshot_invalidate,
    promotions_with_targets,
    rule_from_promotion,
)


@dataclass(frozen=True)
class Customer:
    """Покупатель для условий и лимитов: пользователь или телефон гостя (E.164); оба могут быть пусты."""

    user_id: int | None = None
    phone: str = ""

    @property
    def key(self):
        return customers.customer_key(user_id=self.user_id, phone=self.phone)

    def order_count(self):
        return customers.customer_order_count(user_id=self.user_id, phone=self.phone)


@dataclass(frozen=True)
class CartPricing:
    """Скидки корзины и состояние введённого промокода (ошибка — если он сейчас не действует)."""

    discounts: CartDiscounts = field(default_factory=CartDiscounts)
    code: str = ""
    code_error: exceptions.PromoCodeError | None = None
    code_id: int | None = None


def _limits_check(*, entry, code=None, customer, at_checkout, usage=None):
    """Проверить лимиты акции и кода по числу применений.

    usage — счётчики, посчитанные под блокировкой строк акций и кода (оформление,
    checkout_promotions_lock); без них — свежий подсчёт вне блокировки (показ и применение).
    """
    counts = usage
    if counts is None:
        counts = selectors.usage_counts(
            promotion_ids=[entry.rule.id], code_id=code.pk if code else None, customer_key=customer.key
        )
    promotion_total = counts["promotion"].get(entry.rule.id, 0)
    mine = counts["customer_promotion"].get(entry.rule.id, 0)
    reached = (
        (entry.usage_limit is not None and promotion_total >= entry.usage_limit)
        or (customer.key and entry.per_customer_limit is not None and mine >= entry.per_customer_limit)
        or (code is not None and code.usage_limit is not None and counts["code"] >= code.usage_limit)
        or (
            code is not None
            and customer.key
            and code.per_customer_limit is not None
            and counts["customer_code"] >= code.per_customer_limit
        )
    )
    if reached:
        raise exceptions.PromoCodeLimitReached(at_checkout=at_checkout)


def promo_code_check(
    *, code, region_id, customer, subtotal, currency="RUB", now=None, at_checkout=False, checkout=None
):
    """Проверить промокод для корзины и вернуть (PromoCode, PromotionEntry).

    Проверки по порядку: код есть и включён → акция началась → не закончилась → регион →
    лимиты (всего, кода, на покупателя) → первый заказ → минимальная сумма товаров.
    checkout — CheckoutPromotions оформления: код уже найден, счётчики посчитаны под блокировкой.

    Raises:
        PromoCodeUnknown, PromoCodeNotStarted, PromoCodeExpired, PromoCodeWrongRegion,
        PromoCodeLimitReached, PromoCodeFirstOrderOnly, PromoCodeMinTotal — 400, а при
        оформлении (at_checkout) — 409.
    """
    now = now or timezone.now()
    promo = checkout.promo if checkout is not None else selectors.promo_code_get(code=code)
    promotion = promo.promotion if promo else None
    if promo is None or not promo.is_active or not promotion.is_active or promotion.kind != PromotionKind.CODE:
        raise exceptions.PromoCodeUnknown(at_checkout=at_checkout)
    entry = promo.entry
    if now < entry.starts_at:
        raise exceptions.PromoCodeNotStarted(at_checkout=at_checkout)
    if entry.ends_at is not None and now >= entry.ends_at:
        raise exceptions.PromoCodeExpired(at_checkout=at_checkout)
    if not entry.serves_region(region_id):
        raise exceptions.PromoCodeWrongRegion(at_checkout=at_checkout)
    _limits_check(
        entry=entry,
        code=promo,
        customer=customer,
        at_checkout=at_checkout,
        usage=checkout.usage if checkout is not None else None,
    )
    if entry.first_order_only and customer.order_count() > 0:
        raise exceptions.PromoCodeFirstOrderOnly(at_checkout=at_checkout)
    minimum = entry.rule.min_subtotal
    if minimum is not None and subtotal < minimum:
        error = exceptions.PromoCodeMinTotal(
            _("Промокод действует на заказ от %(minimum)s %(currency)s: добавьте ещё на %(missing)s.")
            % {
                "minimum": f"{minimum:.2f}",
                "currency": calculations.currency_sign(currency),
                "missing": f"{(minimum - subtotal):.2f}",
            },
            at_checkout=at_checkout,
        )
        # Корзина покажет по этому коду подсказку «добавьте ещё на …».
        error.entry = entry
        raise error
    return promo, entry


def _cart_entries(*, region_id, customer, now, checkout=None):
    """Автоматические правила корзины региона, доступные покупателю (первый заказ, лимиты)."""
    entries = list(checkout.entries) if checkout is not None else cart_entries_running(region_id=region_id, now=now)
    if any(entry.first_order_only for entry in entries) and customer.order_count() > 0:
        entries = [entry for entry in entries if not entry.first_order_only]
    limited = [entry for entry in entries if entry.usage_limit is not None or entry.per_customer_limit is not None]
    if limited:
        counts = (
            checkout.usage
            if checkout is not None
            else selectors.usage_counts(promotion_ids=[entry.rule.id for entry in limited], customer_key=customer.key)
        )
        exhausted = {
            entry.rule.id
            for entry in limited
            if (entry.usage_limit is not None and counts["promotion"].get(entry.rule.id, 0) >= entry.usage_limit)
            or (
                customer.key
                and entry.per_customer_limit is not None
                and counts["customer_promotion"].get(entry.rule.id, 0) >= entry.per_customer_limit
            )
        }
        entries = [entry for entry in entries if entry.rule.id not in exhausted]
    return entries


def cart_pricing_calculate(
    *, region_id, currency, lines, brands, code="", customer=None, now=None, at_checkout=False, checkout=None
):
    """Посчитать скидки корзины: автоматические правила региона и введённый промокод.

    Args:
        region_id, currency: регион и валюта корзины.
        lines: list[PricedLine] — строки без проблем, цены уже со скидкой каталога.
        brands: {id товара: id бренда} — чтобы не читать бренды второй раз.
        code: введённый промокод ("" — нет).
        customer: Customer (для первого заказа и лимитов «на покупателя»).
        at_checkout: оформление — ошибка промокода бросается (409), а не возвращается.
        checkout: CheckoutPromotions оформления (правила и код найдены, лимиты посчитаны под
            блокировкой) — тогда расчёт не читает базу.

    Returns:
        CartPricing.

    Raises:
        PromoCodeError (только at_checkout).
    """
    now = now or timezone.now()
    customer = customer or Customer()
    subtotal = sum((line.total for line in lines), Decimal("0.00"))
    entries = _cart_entries(region_id=region_id, customer=customer, now=now, checkout=checkout)
    code_error, code_id = None, None
    if code:
        try:
            promo, entry = promo_code_check(
                code=code,
                region_id=region_id,
                customer=customer,
                subtotal=subtotal,
                currency=currency,
                now=now,
                at_checkout=at_checkout,
                checkout=checkout,
            )
        except exceptions.PromoCodeError as error:
            if at_checkout:
                raise
            code_error = error
            if isinstance(error, exceptions.PromoCodeMinTotal):
                entries.append(error.entry)
        else:
            entries.append(entry)
            code_id = promo.pk
    rules = [entry.rule for entry in entries]
    facts = selectors.product_facts(product_ids=[line.product_id for line in lines], rules=rules, brands=brands)
    discounts = calculations.cart_discounts_calculate(lines=lines, facts=facts, rules=rules, currency=currency)
    if code_id is not None and not any(item.code for item in discounts.applied):
        # Код прошёл проверки, но ни на одну строку не подействовал (товары не те, уступил
        # несочетаемой акции с большим приоритетом).
        code_error = exceptions.PromoCodeNotApplicable(at_checkout=at_checkout)
        if at_checkout:
            raise code_error
    return CartPricing(discounts=discounts, code=code, code_error=code_error, code_id=code_id)


@dataclass
class CheckoutPromotions:
    """Акции оформления: правила корзины региона и промокод, затем — строки с лимитами под блокировкой.

    Находятся до блокировки остатков (подарки правил нужно заблокировать вместе с остатками
    строк), блокируются после неё (порядок блокировок — в начале модуля); счётчики применений
    считаются один раз, уже под блокировкой, и ими же проверяются лимиты при расчёте и записи.
    """

    entries: tuple = ()
    promo: PromoCode | None = None
    promotions: dict = field(default_factory=dict)
    code: PromoCode | None = None
    usage: dict | None = None

    @property
    def candidates(self):
        code_entry = self.promo.entry if self.promo is not None else None
        return [*self.entries, *([code_entry] if code_entry is not None else [])]

    @property
    def gift_variant_ids(self):
        """Подарки всех правил-кандидатов: их остатки блокируются заранее, даже если подарок не выпадет."""
        return sorted({entry.rule.gift_variant_id for entry in self.candidates if entry.rule.gift_variant_id})


def _limited(entry):
    return entry.usage_limit is not None or entry.per_customer_limit is not None


def checkout_promotions_find(*, region_id, code, now=None):
    """Найти акции оформления: автоматические правила корзины региона (снимок) и промокод (один запрос)."""
    now = now or timezone.now()
    code = (code or "").strip()
    return CheckoutPromotions(
        entries=tuple(cart_entries_running(region_id=region_id, now=now)),
        promo=selectors.promo_code_get(code=code) if code else None,
    )


def checkout_promotions_lock(*, checkout, customer):
    """Заблокировать строки акций и кода с лимитами (по возрастанию id) и посчитать их применения.

    Вызывать в транзакции оформления после блокировки остатков. Без лимитов — ни одного запроса:
    применения акции без лимита не ограничены, и параллельным оформлениям ждать друг друга незачем.
    """
    promotion_ids = sorted({entry.rule.id for entry in checkout.candidates if _limited(entry)})
    promo = checkout.promo
    code_limited = promo is not None and (promo.usage_limit is not None or promo.per_customer_limit is not None)
    if promotion_ids:
        checkout.promotions = {
            item.pk: item for item in Promotion.objects.select_for_update().filter(pk__in=promotion_ids).order_by("pk")
        }
    if code_limited:
        checkout.code = PromoCode.objects.select_for_update().get(pk=promo.pk)
    checkout.usage = selectors.usage_counts(
        promotion_ids=promotion_ids, code_id=promo.pk if code_limited else None, customer_key=customer.key
    )
    return checkout


def promotions_redeem(*, order, pricing, customer, checkout):
    """Записать применения акций заказа, проверив лимиты по счётчикам, посчитанным под блокировкой.

    Вызывается внутри транзакции оформления после checkout_promotions_lock: строки акций и кода
    с лимитами уже заблокированы, число применений посчитано под блокировкой, поэтому лимит не
    превышается при любом числе параллельных оформлений. Точки сохранения нет: ошибка
    откатывает всё оформление.

    Raises:
        PromoCodeLimitReached (409): лимит кода (или его акции) исчерпан параллельными заказами.
        PromotionLimitReached (409): лимит автоматической акции исчерпан.
    """
    applied = pricing.discounts.applied
    if not applied:
        return []
    counts, code = checkout.usage, checkout.code
    for item in applied:
        promotion = checkout.promotions.get(item.promotion_id)
        over = False
        if promotion is not None:
            total = counts["promotion"].get(promotion.pk, 0)
            mine = counts["customer_promotion"].get(promotion.pk, 0)
            over = (promotion.usage_limit is not None and total >= promotion.usage_limit) or bool(
                customer.key and promotion.per_customer_limit is not None and mine >= promotion.per_customer_limit
            )
        if item.code and code is not None:
            over = over or (code.usage_limit is not None and counts["code"] >= code.usage_limit)
            over = over or bool(
                customer.key
                and code.per_customer_limit is not None
                and counts["customer_code"] >= code.per_customer_limit
            )
        if over:
            raise (
                exceptions.PromoCodeLimitReached(at_checkout=True) if item.code else exceptions.PromotionLimitReached()
            )
    return PromotionUsage.objects.bulk_create(
        PromotionUsage(
            promotion_id=item.promotion_id,
            code_id=pricing.code_id if item.code else None,
            order=order,
            user_id=customer.user_id,
            customer_key=customer.key or f"order:{order.pk}",
            discount_amount=item.amount,
            free_delivery=item.free_delivery,
        )
        for item in applied
    )


def catalog_promotions_switch(*, now=None):
    """Включить начавшиеся и выключить закончившиеся скидки каталога; вернуть число переключённых.

    Задача beat зовёт раз в минуту. Переключённые акции меняют признак is_live, предложения их
    товаров пересчитываются (цена, старая цена, плашка), кэш каталога сбрасывается. Повторный
    вызов ничего не меняет; акции, которые прямо сейчас правят (строка заблокирована), ждут
    следующего запуска.
    """
    now = now or timezone.now()
    with transaction.atomic():
        candidates = list(
            promotions_with_targets()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(kind=PromotionKind.CATALOG)
            .filter(Q(is_live=True) | Q(is_active=True, starts_at__lte=now))
            .order_by("pk")
        )
        switched = [item for item in candidates if item.is_live != item.is_running(now)]
        if not switched:
            return 0
        for item in switched:
            item.is_live = not item.is_live
        Promotion.objects.bulk_update(switched, ["is_live"])
        promotions_snapshot_invalidate()
        product_ids = selectors.products_targeted(rules=[rule_from_promotion(item) for item in switched])
        # Плашки снятых акций: пересчёт из прайс-листов их не трогает, а скидки — перепишут.
        offer_labels_clear(product_ids=product_ids)
        product_offer_refresh(product_ids=product_ids)
        catalog_cache_invalidate()
    return len(switched)


def catalog_promotions_reapply():
    """Пересчитать предложения всего каталога после правки скидки каталога в админке.

    Правка может сменить товары акции (и прежние надо вернуть к цене без скидки), поэтому
    пересчитывается весь каталог — один запрос пересчёта и один проход скидок; правки акций
    редки, задача идёт в фоне.
    """
    catalog_promotions_switch()
    with transaction.atomic():
        promotions_snapshot_invalidate()
        offer_labels_clear()
        product_offer_refresh()
        catalog_cache_invalidate()
