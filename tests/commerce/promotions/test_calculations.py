"""Расчёт скидок без базы: округление, раскладка по строкам до копейки, сочетание, N-й товар, подсказки."""

from decimal import Decimal

import pytest

from commerce.promotions.calculations import (
    PricedLine,
    ProductFacts,
    Rule,
    Targets,
    cart_discounts_calculate,
    catalog_price,
    catalog_rule_for_product,
    distribute,
    money,
)

D = Decimal


def rule(rule_id=1, **fields):
    fields.setdefault("name", f"Правило {rule_id}")
    fields.setdefault("kind", "cart")
    return Rule(id=rule_id, **fields)


def line(variant_id, price, quantity=1, product_id=None, discounted=False):
    return PricedLine(
        variant_id=variant_id,
        product_id=product_id or variant_id,
        quantity=quantity,
        unit_price=D(price),
        catalog_discounted=discounted,
    )


def test_money_rounds_half_up_to_the_kopeck():
    assert money(D("0.005")) == D("0.01")
    assert money(D("0.0049")) == D("0.00")
    assert money(D("2.675")) == D("2.68")  # float дал бы 2.67


@pytest.mark.parametrize(
    ("amount", "weights"),
    [
        ("100.00", ["33.33", "33.33", "33.34"]),
        ("0.01", ["1.00", "1.00", "1.00"]),
        ("10.00", ["0.01", "999.99"]),
        ("199.99", ["100.00", "100.00"]),
        ("7.77", ["1.11", "2.22", "3.33", "4.44", "5.55"]),
    ],
)
def test_distribution_sums_to_the_total_to_the_kopeck_and_never_exceeds_a_line(amount, weights):
    shares = distribute(D(amount), [D(weight) for weight in weights])
    assert sum(shares) == D(amount)
    assert all(share <= D(weight) for share, weight in zip(shares, weights, strict=True))
    assert all(share == share.quantize(D("0.01")) for share in shares)


def test_distribution_gives_the_extra_kopeck_to_the_largest_remainder_then_first_line():
    assert distribute(D("0.02"), [D("1"), D("1"), D("1")]) == [D("0.01"), D("0.01"), D("0.00")]
    assert distribute(D("1.00"), [D("1"), D("2")]) == [D("0.33"), D("0.67")]


def test_catalog_percent_rounds_the_unit_price_and_keeps_a_higher_manual_old_price():
    sale = rule(kind="catalog", discount_type="percent", value=D("15"))
    assert catalog_price(price=D("999.90"), old_price=None, rule=sale) == (D("849.91"), D("999.90"), True)
    assert catalog_price(price=D("100.00"), old_price=D("150.00"), rule=sale) == (D("85.00"), D("150.00"), True)


def test_catalog_fixed_discount_never_goes_below_zero_and_zero_discount_changes_nothing():
    assert catalog_price(price=D("300.00"), old_price=None, rule=rule(discount_type="fixed", value=D("500")))[0] == 0
    assert catalog_price(price=D("300.00"), old_price=None, rule=rule(value=D("0"))) == (D("300.00"), None, False)


def test_catalog_rule_with_the_highest_priority_wins_among_matching_ones():
    facts = ProductFacts(product_id=1, brand_id=7, category_ids=frozenset({3}))
    brand = rule(1, priority=1, targets=Targets(brand_ids=frozenset({7})))
    category = rule(2, priority=5, targets=Targets(category_ids=frozenset({3})))
    other = rule(3, priority=9, targets=Targets(product_ids=frozenset({99})))
    assert catalog_rule_for_product(rules=[brand, category, other], facts=facts) is category


def test_order_percent_discount_is_spread_over_lines_to_the_kopeck():
    lines = [line(1, "333.33"), line(2, "333.33"), line(3, "0.01", quantity=3)]
    result = cart_discounts_calculate(lines=lines, facts={}, rules=[rule(value=D("10"))])
    # 10 % от 666.69 = 66.669 → 66.67 (ROUND_HALF_UP), разложено так, что сумма точна.
    assert result.total == D("66.67")
    assert sum(result.line_discounts.values()) == result.total


def test_exclusive_rule_with_higher_priority_is_applied_alone():
    lines = [line(1, "1000.00")]
    exclusive = rule(1, value=D("20"), priority=10, is_exclusive=True)
    combinable = rule(2, value=D("5"), priority=1)
    result = cart_discounts_calculate(lines=lines, facts={}, rules=[combinable, exclusive])
    assert [item.promotion_id for item in result.applied] == [1]
    assert result.total == D("200.00")


def test_combinable_rules_stack_each_on_what_is_left_and_skip_a_lower_exclusive_one():
    lines = [line(1, "1000.00")]
    rules = [
        rule(1, value=D("10"), priority=10),
        rule(2, discount_type="fixed", value=D("100"), priority=5),
        rule(3, value=D("50"), priority=1, is_exclusive=True),
    ]
    result = cart_discounts_calculate(lines=lines, facts={}, rules=rules)
    assert [item.promotion_id for item in result.applied] == [1, 2]
    assert result.total == D("200.00")


def test_stacked_discounts_never_exceed_the_line_total():
    result = cart_discounts_calculate(
        lines=[line(1, "50.00")],
        facts={},
        rules=[rule(1, discount_type="fixed", value=D("40")), rule(2, discount_type="fixed", value=D("40"))],
    )
    assert result.total == D("50.00")


def test_every_second_item_discount_goes_to_the_cheapest_units():
    lines = [line(1, "1000.00", quantity=1), line(2, "300.00", quantity=3)]
    result = cart_discounts_calculate(lines=lines, facts={}, rules=[rule(effect="nth_item", nth_item=2, value=D("50"))])
    # 4 штуки → 2 со скидкой, самые дешёвые: две по 300 → 150 + 150.
    assert result.line_discounts == {2: D("300.00")}


def test_minimum_not_reached_gives_a_hint_with_the_missing_amount_instead_of_the_discount():
    free = rule(effect="free_delivery", min_subtotal=D("3000"))
    result = cart_discounts_calculate(lines=[line(1, "2500.00")], facts={}, rules=[free])
    assert result.free_delivery is False
    assert [(hint.amount_missing, hint.message) for hint in result.hints] == [
        (D("500.00"), "Добавьте ещё на 500 ₽ до бесплатной доставки")
    ]
    reached = cart_discounts_calculate(lines=[line(1, "3000.00")], facts={}, rules=[free])
    assert reached.free_delivery is True and not reached.hints


def test_rule_limited_to_a_brand_discounts_only_its_lines_and_can_skip_catalog_discounted_ones():
    facts = {1: ProductFacts(product_id=1, brand_id=7), 2: ProductFacts(product_id=2, brand_id=8)}
    lines = [line(1, "100.00"), line(2, "100.00"), line(3, "100.00", product_id=1, discounted=True)]
    brand_only = rule(value=D("10"), targets=Targets(brand_ids=frozenset({7})), skip_discounted_items=True)
    result = cart_discounts_calculate(lines=lines, facts=facts, rules=[brand_only])
    assert result.line_discounts == {1: D("10.00")}


def test_gift_rule_over_the_threshold_names_the_gift_variant():
    gift = rule(effect="gift", gift_variant_id=42, min_subtotal=D("1000"))
    result = cart_discounts_calculate(lines=[line(1, "1000.00")], facts={}, rules=[gift])
    assert result.gift_variant_ids == (42,) and result.total == 0
