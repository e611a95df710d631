"""Чтения корзины: корзина по токену или пользователю и её вид с ценами, наличием, скидками и итогами.

Вид корзины считается при каждом чтении за постоянное число запросов (строки с вариантами,
цены региона, остатки региона, главные изображения, промокод и его счётчики), сколько бы строк
ни было. Скидки каталога и корзины считает commerce.promotions — той же функцией
``lines_pricing``, что и оформление заказа, поэтому итог корзины совпадает с итогом заказа.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from commerce.cart import error_codes
from commerce.cart.models import Cart, CartLine
from commerce.catalog.models import Variant
from commerce.catalog.selectors import list_image_specs, product_main_images
from commerce.inventory.selectors import variants_available_in_region
from commerce.pricing.selectors import variant_prices_for_region_bulk
from commerce.promotions.calculations import PricedLine
from commerce.promotions.catalog_prices import line_catalog_prices
from commerce.promotions.services import CartPricing, Customer, cart_pricing_calculate

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
    # Скидки: зачёркнутая цена единицы (скидка каталога или ручная), плашка, доля скидки корзины.
    old_unit_price: Decimal | None = None
    promo_label: str = ""
    discount: Decimal = ZERO
    # Главное изображение товара: (ProductImage, {фильтр: Rendition}) или None.
    image: tuple | None = None

    @property
    def is_available(self):
        return self.problem is None

    @property
    def line_subtotal(self):
        """Сумма строки до скидки корзины (цена единицы × количество)."""
        return None if self.unit_price is None else (self.unit_price * self.quantity).quantize(ZERO)


@dataclass(frozen=True)
class CartView:
    """Корзина целиком: строки, сумма строк без проблем, скидки, итог товаров, валюта региона."""

    cart: Cart
    lines: list
    subtotal: Decimal
    currency: str
    pricing: CartPricing = field(default_factory=CartPricing)
    gifts: tuple = ()

    @property
    def discount_total(self):
        return self.pricing.discounts.total

    @property
    def total(self):
        """Товары со всеми скидками (без доставки)."""
        return (self.subtotal - self.discount_total).quantize(ZERO)

    @property
    def free_delivery(self):
        return self.pricing.discounts.free_delivery

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


def lines_pricing(*, lines, prices, region, code="", customer=None, at_checkout=False, priced_only=None, checkout=None):
    """Цены строк со скидкой каталога и скидки корзины — одно определение для корзины и оформления.

    Args:
        lines: строки корзины (CartLine с variant и product).
        prices: {id варианта: VariantPrice} — цены прайс-листов региона.
        region: регион корзины.
        code: введённый промокод.
        customer: promotions.services.Customer.
        at_checkout: оформление — ошибка промокода бросается (409).
        priced_only: множество id вариантов, которые участвуют в скидках корзины (строки без
            проблем); None — все строки с ценой.
        checkout: promotions.services.CheckoutPromotions — акции оформления, заблокированные
            и посчитанные заранее (тогда скидки корзины считаются без запросов).

    Returns:
        tuple ({id варианта: (цена, старая цена, правило скидки каталога или None)}, CartPricing).

    Raises:
        promotions.exceptions.PromoCodeError, PromotionLimitReached — только at_checkout.
    """
    with_price = [line for line in lines if line.variant_id in prices]
    catalog = line_catalog_prices(
        region_id=region.pk,
        lines=[
            (
                line.variant_id,
                line.variant.product_id,
                line.variant.product.brand_id,
                prices[line.variant_id].price,
                prices[line.variant_id].old_price,
            )
            for line in with_price
        ],
    )
    priced = [
        PricedLine(
            variant_id=line.variant_id,
            product_id=line.variant.product_id,
            quantity=line.quantity,
            unit_price=catalog[line.variant_id][0],
            catalog_discounted=catalog[line.variant_id][2] is not None,
        )
        for line in with_price
        if priced_only is None or line.variant_id in priced_only
    ]
    pricing = cart_pricing_calculate(
        region_id=region.pk,
        currency=region.currency,
        lines=priced,
        brands={line.variant.product_id: line.variant.product.brand_id for line in with_price},
        code=(code or "").strip(),
        customer=customer,
        at_checkout=at_checkout,
        checkout=checkout,
    )
    return catalog, pricing


def _gifts(variant_ids, *, exclude):
    # Подарок, который уже лежит в корзине, второй раз не кладётся (как при оформлении).
    variant_ids = [pk for pk in variant_ids if pk not in exclude]
    if not variant_ids:
        return ()
    variants = Variant.objects.select_related("product").in_bulk(list(variant_ids))
    return tuple(
        {
            "variant_id": pk,
            "sku": variants[pk].sku,
            "product_name": variants[pk].product.name,
            "product_slug": variants[pk].product.slug,
        }
        for pk in variant_ids
        if pk in variants
    )


def cart_view(*, cart, region=None, promo_code=None):
    """Посчитать вид корзины в регионе (по умолчанию — в регионе корзины).

    Сумма (subtotal) — только по строкам без проблем: витрина показывает проблемные строки
    помеченными, а оформить заказ с ними нельзя. Цена единицы — уже со скидкой каталога;
    скидки акций корзины и промокода разложены по строкам (discount) и сложены в discount_total.
    promo_code — посчитать с этим кодом вместо сохранённого (проверка перед применением).
    """
    region = region or cart.region
    lines = cart_lines(cart=cart)
    variant_ids = [line.variant_id for line in lines]
    prices = variant_prices_for_region_bulk(variant_ids=variant_ids, region_id=region.pk) if lines else {}
    available = variants_available_in_region(variant_ids=variant_ids, region_id=region.pk) if lines else {}
    return cart_view_build(
        cart=cart, region=region, lines=lines, prices=prices, available=available, promo_code=promo_code
    )


def cart_view_build(*, cart, lines, prices, available, region=None, promo_code=None):
    """Собрать вид корзины из уже прочитанных строк, цен и остатков (запись корзины их уже читала).

    Args:
        lines: строки корзины (CartLine с variant и product) в порядке добавления.
        prices: {id варианта: VariantPrice} региона; available: {id варианта: доступно}.
        region, promo_code: как у cart_view.
    """
    region = region or cart.region
    variant_ids = [line.variant_id for line in lines]
    problems = {
        line.variant_id: line_problem(
            variant=line.variant,
            quantity=line.quantity,
            price=prices[line.variant_id].price if line.variant_id in prices else None,
            available=available.get(line.variant_id, 0),
        )
        for line in lines
    }
    catalog, pricing = lines_pricing(
        lines=lines,
        prices=prices,
        region=region,
        code=cart.promo_code if promo_code is None else promo_code,
        customer=Customer(user_id=cart.user_id),
        priced_only={variant_id for variant_id, problem in problems.items() if problem is None},
    )
    images = product_main_images(
        product_ids=sorted({line.variant.product_id for line in lines}), specs=list_image_specs()
    )
    discounts = pricing.discounts.line_discounts
    views = []
    subtotal = ZERO
    for line in lines:
        price_row = prices.get(line.variant_id)
        price, old_price, rule = catalog.get(line.variant_id, (None, None, None))
        problem = problems[line.variant_id]
        discount = discounts.get(line.variant_id, ZERO)
        line_total = (price * line.quantity - discount).quantize(ZERO) if price is not None else None
        if problem is None:
            subtotal += (price * line.quantity).quantize(ZERO)
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
                old_unit_price=old_price,
                promo_label=rule.label if rule is not None else "",
                discount=discount,
                image=images.get(line.variant.product_id),
            )
        )
    return CartView(
        cart=cart,
        lines=views,
        subtotal=subtotal.quantize(ZERO),
        currency=region.currency,
        pricing=pricing,
        gifts=_gifts(pricing.discounts.gift_variant_ids, exclude=set(variant_ids)),
    )
