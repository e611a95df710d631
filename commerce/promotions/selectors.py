"""Чтения акций: сведения о товарах для выбора акций, промокод, счётчики применений, отчёт."""

from collections import defaultdict

from django.db.models import Count, Q, Sum

from commerce.catalog.models import Product, ProductCategoryIndex, ProductChoiceIndex
from commerce.promotions.calculations import ProductFacts
from commerce.promotions.models import PromoCode, PromotionUsage, promo_code_normalize
from commerce.promotions.snapshot import promotions_with_targets

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
    """Вернуть промокод (с акцией и её товарами и регионами) или None."""
    normalized = promo_code_normalize(code)
    if not normalized:
        return None
    promo = PromoCode.objects.filter(code=normalized).select_related("promotion").first()
    if promo is None:
        return None
    # Товары и регионы акции — предзагрузкой (запросов не больше, чем видов связей).
    promo.promotion = promotions_with_targets().get(pk=promo.promotion_id)
    return promo


def usage_counts(*, promotion_ids, code_id=None, customer_key=""):
    """Вернуть счётчики применений: по акциям, по коду, по покупателю (акции и коду).

    Returns:
        dict: promotion — {id: n}, code — n, customer_promotion — {id: n}, customer_code — n.
    """
    result = {"promotion": {}, "code": 0, "customer_promotion": {}, "customer_code": 0}
    promotion_ids = list(promotion_ids)
    if promotion_ids:
        rows = (
            PromotionUsage.objects.filter(promotion_id__in=promotion_ids)
            .values("promotion_id")
            .annotate(
                total=Count("id"),
                mine=Count("id", filter=Q(customer_key=customer_key or NO_CUSTOMER)),
            )
        )
        for row in rows:
            result["promotion"][row["promotion_id"]] = row["total"]
            result["customer_promotion"][row["promotion_id"]] = row["mine"]
    if code_id is not None:
        counts = PromotionUsage.objects.filter(code_id=code_id).aggregate(
            total=Count("id"),
            mine=Count("id", filter=Q(customer_key=customer_key or NO_CUSTOMER)),
        )
        result["code"] = counts["total"]
        result["customer_code"] = counts["mine"]
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
