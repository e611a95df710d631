"""Чтения корзины: корзина по токену или пользователю и её вид с ценами, наличием и итогами.

Вид корзины считается при каждом чтении за постоянное число запросов (строки с вариантами,
цены региона, остатки региона), сколько бы строк ни было.
"""

from dataclasses import dataclass
from decimal import Decimal

from commerce.cart import error_codes
from commerce.cart.models import Cart, CartLine
from commerce.inventory.selectors import variants_available_in_region
from commerce.pricing.selectors import variant_prices_for_region_bulk

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CartLineView:
    """Строка корзины с текущей ценой региона и пометкой о проблеме (None — всё в порядке)."""

    line_id: int
    variant_id: int
    sku: str
    product_name: str
    product_slug: str
    variant_name: str
    quantity: int
    unit_price: Decimal | None
    currency: str
    line_total: Decimal | None
    available_quantity: int
    problem: str | None

    @property
    def is_available(self):
        return self.problem is None


@dataclass(frozen=True)
class CartView:
    """Корзина целиком: строки, сумма строк без проблем, валюта региона."""

    cart: Cart
    lines: list
    subtotal: Decimal
    currency: str

    @property
    def items_count(self):
        return sum(line.quantity for line in self.lines)

    @property
    def has_problems(self):
        return any(line.problem for line in self.lines)


def cart_get_anonymous(*, token):
    """Вернуть анонимную корзину по токену или None (корзина пользователя по токену не отдаётся)."""
    if not token:
        return None
    return Cart.objects.select_related("region").filter(token=token, user__isnull=True).first()


def cart_get_for_user(*, user):
    """Вернуть корзину пользователя или None."""
    return Cart.objects.select_related("region").filter(user=user).first()


def cart_lines(*, cart):
    """Строки корзины с вариантом и товаром (один запрос)."""
    return list(CartLine.objects.filter(cart=cart).select_related("variant__product").order_by("created_at", "id"))


def line_problem(*, variant, quantity, price, available):
    """Определить проблему строки: снят с продажи, нет цены, нет в наличии, не хватает — или None."""
    if not variant.is_active or not variant.product.is_active:
        return error_codes.LINE_UNAVAILABLE
    if price is None:
        return error_codes.LINE_NO_PRICE
    if available <= 0:
        return error_codes.LINE_OUT_OF_STOCK
    if quantity > available:
        return error_codes.LINE_INSUFFICIENT_STOCK
    return None


def cart_view(*, cart, region=None):
    """Посчитать вид корзины в регионе (по умолчанию — в регионе корзины).

    Сумма (subtotal) — только по строкам без проблем: витрина показывает проблемные строки
    помеченными, а оформить заказ с ними нельзя.
    """
    region = region or cart.region
    lines = cart_lines(cart=cart)
    variant_ids = [line.variant_id for line in lines]
    prices = variant_prices_for_region_bulk(variant_ids=variant_ids, region_id=region.pk) if lines else {}
    available = variants_available_in_region(variant_ids=variant_ids, region_id=region.pk) if lines else {}
    views = []
    subtotal = ZERO
    for line in lines:
        price_row = prices.get(line.variant_id)
        price = price_row.price if price_row else None
        problem = line_problem(
            variant=line.variant, quantity=line.quantity, price=price, available=available.get(line.variant_id, 0)
        )
        line_total = (price * line.quantity).quantize(ZERO) if price is not None else None
        if problem is None:
            subtotal += line_total
        views.append(
            CartLineView(
                line_id=line.pk,
                variant_id=line.variant_id,
                sku=line.variant.sku,
                product_name=line.variant.product.name,
                product_slug=line.variant.product.slug,
                variant_name=line.variant.name,
                quantity=line.quantity,
                unit_price=price,
                currency=price_row.price_list.currency if price_row else region.currency,
                line_total=line_total,
                available_quantity=available.get(line.variant_id, 0),
                problem=problem,
            )
        )
    return CartView(cart=cart, lines=views, subtotal=subtotal.quantize(ZERO), currency=region.currency)
