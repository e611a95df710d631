"""Скидки каталога в ценах витрины: предложения (список, фасеты, поиск) и карточка товара.

Единственное место, где скидка каталога превращается в цену и старую цену: предложения
пишет ``offers_refreshed`` сразу после пересчёта из прайс-листов (в той же транзакции), карточка
зовёт ``variant_prices``, корзина и оформление — ``line_catalog_prices``. Все три берут правила
из одного снимка («живые» скидки, которые включила задача beat) и одну формулу
(calculations.catalog_price), поэтому цена в списке, карточке, поиске и корзине одна и та же.
"""

from django.db.models import Q

from commerce.catalog.models import ProductOffer
from commerce.promotions.calculations import catalog_price, catalog_rule_for_product
from commerce.promotions.selectors import product_facts, products_targeted
from commerce.promotions.snapshot import catalog_entries_live, catalog_rules_live

BATCH_SIZE = 500


class CatalogPromotionAdjuster:
    """Обработчик commerce.catalog.price_hooks: скидки каталога поверх прайс-листов."""

    def offers_refreshed(self, *, product_ids):
        """Наложить «живые» скидки каталога на только что пересчитанные предложения товаров.

        Пересчёт из прайс-листов уже записал в предложения цены без скидки, поэтому здесь цена
        считается от них заново, а плашка — у товаров акций ставится, у остальных стирается.
        Без «живых» акций — ни одного запроса (снимок акций — в кэше); плашки снятых акций
        стирает сама задача переключения (services.catalog_promotions_switch). Пересчёт
        нескольких товаров (заказ, правка) — их предложения и сведения о товарах, не больше
        пяти запросов; весь каталог — только товары акций и предложения с плашкой.
        """
        entries = catalog_entries_live()
        if not entries:
            return
        rules = [entry.rule for entry in entries]
        if product_ids is None:
            targeted = products_targeted(rules=rules)
            offers = ProductOffer.objects.filter(price__isnull=False)
            if targeted is not None:
                offers = ProductOffer.objects.filter(
                    Q(product_id__in=list(targeted), price__isnull=False) | ~Q(discount_label="")
                )
        else:
            offers = ProductOffer.objects.filter(product_id__in=list(product_ids))
        offers = list(offers.only("id", "product_id", "region_id", "brand_id", "price", "old_price", "discount_label"))
        if not offers:
            return
        facts = product_facts(
            product_ids=[offer.product_id for offer in offers],
            rules=rules,
            brands={offer.product_id: offer.brand_id for offer in offers},
        )
        changed = []
        for offer in offers:
            region_rules = [entry.rule for entry in entries if entry.serves_region(offer.region_id)]
            rule = catalog_rule_for_product(rules=region_rules, facts=facts.get(offer.product_id))
            price, old_price, discounted = catalog_price(price=offer.price, old_price=offer.old_price, rule=rule)
            label = rule.label if discounted else ""
            if (price, old_price, label) != (offer.price, offer.old_price, offer.discount_label):
                offer.price, offer.old_price, offer.discount_label = price, old_price, label
                changed.append(offer)
        if changed:
            ProductOffer.objects.bulk_update(changed, ["price", "old_price", "discount_label"], batch_size=BATCH_SIZE)

    def variant_prices(self, *, region_id, product_id, brand_id, variants):
        """Поправить цены вариантов карточки (словари с price, old_price) и вернуть плашку."""
        if region_id is None:
            return ""
        rules = catalog_rules_live(region_id=region_id)
        if not rules:
            return ""
        facts = product_facts(product_ids=[product_id], rules=rules, brands={product_id: brand_id})
        rule = catalog_rule_for_product(rules=rules, facts=facts.get(product_id))
        if rule is None:
            return ""
        label = ""
        for item in variants:
            item["price"], item["old_price"], discounted = catalog_price(
                price=item["price"], old_price=item["old_price"], rule=rule
            )
            if discounted:
                label = rule.label
        return label


def offer_labels_clear(*, product_ids=None):
    """Стереть плашки акций у предложений товаров (None — у всех) перед пересчётом после переключения."""
    offers = ProductOffer.objects.exclude(discount_label="")
    if product_ids is not None:
        offers = offers.filter(product_id__in=list(product_ids))
    offers.update(discount_label="")


def line_catalog_prices(*, region_id, lines):
    """Вернуть {id варианта: (цена, старая цена, правило или None)} для строк корзины или заказа.

    Args:
        region_id: регион корзины.
        lines: [(variant_id, product_id, brand_id, цена прайс-листа, старая цена прайс-листа)].
    """
    rules = catalog_rules_live(region_id=region_id)
    result = {}
    facts = (
        product_facts(product_ids=[line[1] for line in lines], rules=rules, brands={line[1]: line[2] for line in lines})
        if rules
        else {}
    )
    for variant_id, product_id, _brand_id, price, old_price in lines:
        rule = catalog_rule_for_product(rules=rules, facts=facts.get(product_id)) if rules else None
        new_price, new_old_price, discounted = catalog_price(price=price, old_price=old_price, rule=rule)
        result[variant_id] = (new_price, new_old_price, rule if discounted else None)
    return result
