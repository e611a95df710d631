"""Расчёт скидок: чистые функции над снимками акций и строк, без базы данных.

Правила округления (одни для каталога, корзины, заказа и чека):

* Деньги — Decimal с двумя знаками; округление до копейки — ROUND_HALF_UP (0,005 → 0,01),
  ровно в одном месте каждой операции: процент от цены единицы (скидка каталога, N-й товар),
  процент от суммы подходящих строк (скидка на заказ). Фиксированная скидка не округляется.
* Скидка никогда не больше суммы, на которую она дана: цена не уходит ниже нуля.
* Скидка на заказ раскладывается по строкам пропорционально их суммам методом наибольшего
  остатка в копейках: сумма скидок строк в точности равна скидке заказа, лишняя копейка
  достаётся строкам с наибольшей дробной частью (при равенстве — первой по порядку).

Сочетание (stacking): правила корзины и промокод упорядочены по приоритету (больше — раньше,
при равенстве — меньший id). Если первое применимое правило «не сочетается с другими», действует
только оно; иначе действуют все сочетаемые, а несочетаемые пропускаются. Каждое следующее
правило считается от того, что осталось от строк после предыдущих. На товар действует не
больше одной скидки каталога — с наибольшим приоритетом.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

PERCENT = "percent"
FIXED = "fixed"
ORDER_DISCOUNT = "order_discount"
NTH_ITEM = "nth_item"
GIFT = "gift"
FREE_DELIVERY = "free_delivery"


def money(value):
    """Округлить до копейки по правилу магазина (ROUND_HALF_UP)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Targets:
    """Товары акции: категории (с подкатегориями), бренды, значения атрибутов, список товаров.

    Пусто во всех — акция на все товары; иначе товар подходит, если подходит по любому из них.
    """

    category_ids: frozenset = frozenset()
    brand_ids: frozenset = frozenset()
    choice_ids: frozenset = frozenset()
    product_ids: frozenset = frozenset()

    @property
    def is_everything(self):
        return not (self.category_ids or self.brand_ids or self.choice_ids or self.product_ids)

    def matches(self, facts):
        """Вернуть, подходит ли товар (ProductFacts) под акцию."""
        if self.is_everything:
            return True
        if facts is None:
            return False
        return bool(
            facts.product_id in self.product_ids
            or (facts.brand_id is not None and facts.brand_id in self.brand_ids)
            or self.category_ids & facts.category_ids
            or self.choice_ids & facts.choice_ids
        )


@dataclass(frozen=True)
class ProductFacts:
    """Что о товаре нужно для выбора акций: бренд, категории с предками, значения атрибутов."""

    product_id: int
    brand_id: int | None = None
    category_ids: frozenset = frozenset()
    choice_ids: frozenset = frozenset()


@dataclass(frozen=True)
class Rule:
    """Снимок акции для расчёта (поля Promotion, нужные формулам)."""

    id: int
    name: str
    kind: str
    effect: str = ORDER_DISCOUNT
    discount_type: str = PERCENT
    value: Decimal = ZERO
    nth_item: int | None = None
    gift_variant_id: int | None = None
    label: str = ""
    priority: int = 0
    is_exclusive: bool = False
    skip_discounted_items: bool = False
    min_subtotal: Decimal | None = None
    targets: Targets = field(default_factory=Targets)
    code: str = ""

    def unit_discount(self, unit_price):
        """Скидка с одной единицы по цене unit_price (процент округляется до копейки)."""
        if self.discount_type == PERCENT:
            amount = money(unit_price * self.value / HUNDRED)
        else:
            amount = Decimal(self.value).quantize(CENT)
        return min(max(amount, ZERO), unit_price)


def catalog_price(*, price, old_price, rule):
    """Цена и старая цена товара со скидкой каталога.

    Старая цена — ручная зачёркнутая цена прайс-листа, если она больше текущей, иначе цена до
    скидки. Если скидка ничего не меняет (0 % или цена 0), возвращаются исходные значения.

    Returns:
        tuple (цена, старая цена, подешевел ли товар).
    """
    if price is None or rule is None:
        return price, old_price, False
    discounted = price - rule.unit_discount(price)
    if discounted >= price:
        return price, old_price, False
    strike = old_price if old_price is not None and old_price > price else price
    return discounted, strike, True


def catalog_rule_for_product(*, rules, facts):
    """Выбрать скидку каталога для товара: подходящую с наибольшим приоритетом (или None)."""
    for rule in sorted(rules, key=lambda item: (-item.priority, item.id)):
        if rule.targets.matches(facts):
            return rule
    return None


def distribute(amount, weights):
    """Разложить сумму amount по весам weights до копейки (метод наибольшего остатка).

    Сумма результата в точности равна amount; доля строки не больше её веса, если amount
    не больше суммы весов. Веса — неотрицательные Decimal.
    """
    cents = int((Decimal(amount) * 100).to_integral_value())
    total = sum(weights, ZERO)
    if cents <= 0 or total <= 0:
        return [ZERO for _weight in weights]
    raw = [Decimal(cents) * weight / total for weight in weights]
    shares = [int(value) for value in raw]
    rest = cents - sum(shares)
    order = sorted(range(len(weights)), key=lambda index: (-(raw[index] - shares[index]), index))
    for index in order[:rest]:
        shares[index] += 1
    return [(Decimal(share) / 100).quantize(CENT) for share in shares]


@dataclass(frozen=True)
class PricedLine:
    """Строка корзины для расчёта: цена единицы уже со скидкой каталога."""

    variant_id: int
    product_id: int
    quantity: int
    unit_price: Decimal
    catalog_discounted: bool = False

    @property
    def total(self):
        return (self.unit_price * self.quantity).quantize(CENT)


@dataclass(frozen=True)
class AppliedPromotion:
    """Применённая акция корзины: сколько скидки дала и что ещё (доставка, подарок)."""

    promotion_id: int
    name: str
    label: str
    effect: str
    code: str
    amount: Decimal
    free_delivery: bool = False
    gift_variant_id: int | None = None


@dataclass(frozen=True)
class Hint:
    """Подсказка «добавьте ещё на N ₽ …»: какой акции не хватает суммы."""

    promotion_id: int
    effect: str
    name: str
    amount_missing: Decimal
    message: str


@dataclass(frozen=True)
class CartDiscounts:
    """Итог расчёта корзины: применённые акции, скидки строк, итог скидки, доставка, подарки, подсказки."""

    applied: tuple = ()
    line_discounts: dict = field(default_factory=dict)
    total: Decimal = ZERO
    free_delivery: bool = False
    gift_variant_ids: tuple = ()
    hints: tuple = ()


def _eligible(rule, lines, facts):
    return [
        line
        for line in lines
        if rule.targets.matches(facts.get(line.product_id))
        and not (rule.skip_discounted_items and line.catalog_discounted)
    ]


def _order_discount(rule, eligible, remaining):
    weights = [remaining[line.variant_id] for line in eligible]
    base = sum(weights, ZERO)
    if base <= 0:
        return {}
    percent = rule.discount_type == PERCENT
    amount = money(base * rule.value / HUNDRED) if percent else Decimal(rule.value).quantize(CENT)
    amount = min(amount, base)
    shares = distribute(amount, weights)
    return {line.variant_id: share for line, share in zip(eligible, shares, strict=True) if share > 0}


def _nth_item_discount(rule, eligible, remaining):
    if not rule.nth_item or rule.nth_item < 2:
        return {}
    units = sorted(
        ((line.unit_price, line.variant_id) for line in eligible for _unit in range(line.quantity)),
        key=lambda unit: unit,
    )
    free_units = len(units) // rule.nth_item
    result = {}
    for unit_price, variant_id in units[:free_units]:
        result[variant_id] = result.get(variant_id, ZERO) + rule.unit_discount(unit_price)
    return {variant_id: min(amount, remaining[variant_id]) for variant_id, amount in result.items() if amount > 0}


def _hint_message(rule, missing, currency):
    amount = f"{missing:.2f}".replace(".00", "")
    values = {"amount": amount, "currency": currency_sign(currency), "name": rule.name}
    if rule.effect == FREE_DELIVERY:
        return _("Добавьте ещё на %(amount)s %(currency)s до бесплатной доставки") % values
    if rule.effect == GIFT:
        return _("Добавьте ещё на %(amount)s %(currency)s — и получите подарок («%(name)s»)") % values
    return _("Добавьте ещё на %(amount)s %(currency)s — и получите скидку «%(name)s»") % values


def currency_sign(currency):
    """Знак валюты для текста подсказки (₽ для RUB, иначе код ISO)."""
    return "₽" if currency == "RUB" else currency


def cart_discounts_calculate(*, lines, facts, rules, currency="RUB"):
    """Посчитать скидки корзины по применимым правилам (регион, даты, код и лимиты уже проверены).

    Минимальную сумму проверяет здесь: правило, которому не хватает суммы, не применяется,
    а даёт подсказку с недостающей суммой. Сумма — товары со скидкой каталога.

    Args:
        lines: list[PricedLine] — строки без проблем (только их можно оформить).
        facts: {id товара: ProductFacts} — для отбора строк по товарам акции.
        rules: list[Rule] — правила корзины и промокод.
        currency: валюта корзины (для текста подсказок).

    Returns:
        CartDiscounts.
    """
    subtotal = sum((line.total for line in lines), ZERO)
    remaining = {line.variant_id: line.total for line in lines}
    applied, hints, gifts = [], [], []
    line_discounts = {}
    free_delivery = False
    chosen_exclusive = False
    ordered = sorted(rules, key=lambda item: (-item.priority, item.id))
    for rule in ordered:
        if rule.min_subtotal is not None and subtotal < rule.min_subtotal:
            missing = (rule.min_subtotal - subtotal).quantize(CENT)
            hints.append(
                Hint(
                    promotion_id=rule.id,
                    effect=rule.effect,
                    name=rule.name,
                    amount_missing=missing,
                    message=_hint_message(rule, missing, currency),
                )
            )
            continue
        if chosen_exclusive or (applied and rule.is_exclusive):
            continue
        eligible = _eligible(rule, lines, facts)
        if not eligible:
            continue
        shares = {}
        if rule.effect == ORDER_DISCOUNT:
            shares = _order_discount(rule, eligible, remaining)
        elif rule.effect == NTH_ITEM:
            shares = _nth_item_discount(rule, eligible, remaining)
        amount = sum(shares.values(), ZERO)
        gives_delivery = rule.effect == FREE_DELIVERY
        gift = rule.gift_variant_id if rule.effect == GIFT else None
        if amount <= 0 and not gives_delivery and gift is None:
            continue
        for variant_id, share in shares.items():
            remaining[variant_id] -= share
            line_discounts[variant_id] = line_discounts.get(variant_id, ZERO) + share
        free_delivery = free_delivery or gives_delivery
        if gift is not None:
            gifts.append(gift)
        applied.append(
            AppliedPromotion(
                promotion_id=rule.id,
                name=rule.name,
                label=rule.label,
                effect=rule.effect,
                code=rule.code,
                amount=amount.quantize(CENT),
                free_delivery=gives_delivery,
                gift_variant_id=gift,
            )
        )
        chosen_exclusive = rule.is_exclusive
    return CartDiscounts(
        applied=tuple(applied),
        line_discounts=line_discounts,
        total=sum(line_discounts.values(), ZERO).quantize(CENT),
        free_delivery=free_delivery,
        gift_variant_ids=tuple(dict.fromkeys(gifts)),
        hints=tuple(hints),
    )
