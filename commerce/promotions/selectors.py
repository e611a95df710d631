"""Чтения акций: сведения о товарах для выбора акций, промокод, счётчики применений, отчёт."""

from collections import defaultdict
from dataclasses import replace

from django.db.models import Count, Q, Sum

from commerce.catalog.models import Product, ProductCategoryIndex, ProductChoiceIndex
from commerce.promotions.calculations import ProductFacts
from commerce.promotions.models import PromoCode, PromotionKind, PromotionUsage, promo_code_normalize
from commerce.promotions.snapshot import code_entry_get, entry_from_promotion, promotions_with_targets

# Ключ, которого не бывает у покупателя: «чужих» применений без покупателя не считать.
NO_CUSTOMER = "-"


def product_facts(*, product_ids, rules, brands=None):
    """Вернуть {id товара: ProductFacts} — столько, сколько нужно правилам rules.

    Запросы — только под те виды товаров акции, что есть в правилах: бренды (если brands не
    переданы), категории с предками (ProductCategoryIndex), значения атрибутов (ProductChoiceIndex).
    Не больше трёх запросов на любое число товаров; без правил с товарами — ни одного.
    """
    product_ids = sorted({pk for pk in product_ids if pk is not None})
    if not product_ids or not rules:
        return {}
    need_brands = any(rule.targets.brand_ids for rule in rules)
    need_categories = any(rule.targets.category_ids for rule in rules)
    need_choices = any(rule.targets.choice_ids for rule in rules)
    if need_brands and brands is None:
        brands = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "brand_id"))
    categories, choices = defaultdict(set), defaultdict(set)
    if need_categories:
        category_ids = set().union(*(rule.targets.category_ids for rule in rules))
        for product_id, category_id in ProductCategoryIndex.objects.filter(
            product_id__in=product_ids, category_id__in=category_ids
        ).values_list("product_id", "category_id"):
            categories[product_id].add(category_id)
    if need_choices:
        choice_ids = set().union(*(rule.targets.choice_ids for rule in rules))
        for product_id, choice_id in ProductChoiceIndex.objects.filter(
            product_id__in=product_ids, choice_id__in=choice_ids
        ).values_list("product_id", "choice_id"):
            choices[product_id].add(choice_id)
    brands = brands or {}
    return {
        product_id: ProductFacts(
            product_id=product_id,
            brand_id=brands.get(product_id),
            category_ids=frozenset(categories[product_id]),
            choice_ids=frozenset(choices[product_id]),
        )
        for product_id in product_ids
    }


def products_targeted(*, rules):
    """Вернуть id товаров, на которые действует хотя бы одно правило (None — на все товары)."""
    if any(rule.targets.is_everything for rule in rules):
        return None
    result = set()
    for rule in rules:
        targets = rule.targets
        result |= targets.product_ids
        if targets.brand_ids:
            result |= set(Product.objects.filter(brand_id__in=targets.brand_ids).values_list("pk", flat=True))
        if targets.category_ids:
            result |= set(
                ProductCategoryIndex.objects.filter(category_id__in=targets.category_ids).values_list(
                    "product_id", flat=True
                )
            )
        if targets.choice_ids:
            result |= set(
                ProductChoiceIndex.objects.filter(choice_id__in=targets.choice_ids).values_list("product_id", flat=True)
            )
    return result


def promo_code_get(*, code):
    """Вернуть промокод с акцией или None; у кода — ``entry``: правило акции (PromotionEntry) или None.

    Правило берётся из снимка включённых акций (один запрос — строка кода с акцией); акции,
    которой в снимке нет (выключена или снимок ещё не обновился), правило строится из базы.
    """
    normalized = promo_code_normalize(code)
    if not normalized:
        return None
    promo = PromoCode.objects.filter(code=normalized).select_related("promotion").first()
    if promo is None:
        return None
    promotion = promo.promotion
    entry = code_entry_get(promotion_id=promo.promotion_id)
    if entry is None and promotion.is_active and promotion.kind == PromotionKind.CODE:
        # Снимок ещё не знает о только что включённой акции: товары и регионы — предзагрузкой
        # (запросов не больше, чем видов связей). Выключенной акции правило не нужно вовсе.
        promo.promotion = promotions_with_targets().get(pk=promo.promotion_id)
        entry = entry_from_promotion(promo.promotion)
    promo.entry = replace(entry, rule=replace(entry.rule, code=promo.code)) if entry is not None else None
    return promo


def usage_counts(*, promotion_ids, code_id=None, customer_key=""):
    """Вернуть счётчики применений: по акциям, по коду, по покупателю (акции и коду) — одним запросом.

    Returns:
        dict: promotion — {id: n}, code — n, customer_promotion — {id: n}, customer_code — n.
    """
    result = {"promotion": {}, "code": 0, "customer_promotion": {}, "customer_code": 0}
    promotion_ids = sorted(set(promotion_ids))
    if not promotion_ids and code_id is None:
        return result
    condition = Q(promotion_id__in=promotion_ids)
    if code_id is not None:
        condition |= Q(code_id=code_id)
    mine = Q(customer_key=customer_key or NO_CUSTOMER)
    counters = {"total": Count("id"), "mine": Count("id", filter=mine)}
    if code_id is not None:
        counters |= {
            "code_total": Count("id", filter=Q(code_id=code_id)),
            "code_mine": Count("id", filter=Q(code_id=code_id) & mine),
        }
    for row in PromotionUsage.objects.filter(condition).values("promotion_id").annotate(**counters).order_by():
        if row["promotion_id"] in promotion_ids:
            result["promotion"][row["promotion_id"]] = row["total"]
            result["customer_promotion"][row["promotion_id"]] = row["mine"]
        result["code"] += row.get("code_total", 0)
        result["customer_code"] += row.get("code_mine", 0)
    return result


def promotion_report(*, date_from=None, date_to=None):
    """Отчёт по акциям и кодам: применений, заказов, сумма скидки, бесплатных доставок.

    Returns:
        list[dict]: promotion_id, promotion__name, code__code, usages, orders, discount, free_deliveries.
    """
    usages = PromotionUsage.objects.all()
    if date_from is not None:
        usages = usages.filter(created_at__gte=date_from)
    if date_to is not None:
        usages = usages.filter(created_at__lt=date_to)
    return list(
        usages.values("promotion_id", "promotion__name", "promotion__kind", "code__code")
        .annotate(
            usages=Count("id"),
            orders=Count("order_id", distinct=True),
            discount=Sum("discount_amount"),
            free_deliveries=Count("id", filter=Q(free_delivery=True)),
        )
        .order_by("-discount", "promotion_id", "code__code")
    )
