"""Записи корзины: получить или создать, добавить, изменить, убрать строку, слить при входе, сменить регион.

Каждая запись блокирует строку корзины (select_for_update): параллельные запросы одной
корзины выполняются по очереди и не спорят за уникальность строк.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commerce.cart import selectors
from commerce.cart.exceptions import (
    CartLineNotFound,
    CartNotFound,
    CartStockInsufficient,
    CartTooManyLines,
    QuantityTooLarge,
    VariantUnavailable,
)
from commerce.cart.models import Cart, CartLine
from commerce.catalog.models import Variant
from commerce.inventory.selectors import variants_available_in_region
from commerce.pricing.selectors import variant_prices_for_region_bulk
from commerce.promotions.models import promo_code_normalize


def _locked(cart):
    # of=("self",): блокируется только строка корзины. Без него PostgreSQL блокирует и
    # присоединённую строку региона, и все записи корзин региона шли бы по очереди.
    return Cart.objects.select_for_update(of=("self",)).select_related("region").get(pk=cart.pk)


def cart_lock_for_checkout(*, cart):
    """Заблокировать строку корзины до конца текущей транзакции и вернуть её перечитанной.

    Оформление берёт эту блокировку первой: параллельные оформления одной корзины (двойной
    клик, повтор с другим Idempotency-Key) выполняются по очереди, и следующее видит уже
    очищенную корзину. Вызывать внутри transaction.atomic.

    Returns:
        Cart с регионом или None, если корзину тем временем удалили.
    """
    return Cart.objects.select_for_update(of=("self",)).select_related("region").filter(pk=cart.pk).first()


def cart_resolve(*, user, token, region, create):
    """Найти корзину запроса: пользователя (по JWT) или анонимную (по токену); при входе слить их.

    Авторизованный запрос с X-Cart-Token анонимной корзины сливает её в корзину пользователя —
    так слияние «при входе» не требует отдельного шага витрины и не трогает код входа.

    Args:
        user: пользователь запроса или None.
        token: значение X-Cart-Token или пустая строка.
        region: регион запроса (для новой корзины).
        create: создать корзину, если её нет (запись); при чтении — нет.

    Returns:
        tuple (Cart или None, merged: bool).

    Raises:
        CartNotFound: анонимный запрос с неизвестным токеном.
    """
    if user is not None:
        anonymous = selectors.cart_get_anonymous(token=token)
        cart = selectors.cart_get_for_user(user=user)
        if cart is None and (create or anonymous is not None):
            cart = _user_cart_create(user=user, region=region)
        if anonymous is not None:
            cart_merge(source=anonymous, target=cart)
            return cart, True
        return cart, False
    if token:
        cart = selectors.cart_get_anonymous(token=token)
        if cart is None:
            raise CartNotFound()
        return cart, False
    if create:
        return Cart.objects.create(region=region), False
    return None, False


def _user_cart_create(*, user, region):
    try:
        with transaction.atomic():
            return Cart.objects.create(user=user, region=region)
    except IntegrityError:
        # Параллельный запрос того же пользователя успел создать корзину (одна на пользователя).
        return Cart.objects.select_related("region").get(user=user)


def _variant_get(*, variant_id):
    variant = Variant.objects.select_related("product").filter(pk=variant_id).first()
    if variant is None:
        raise VariantUnavailable()
    return variant


def _for_sale_check(*, variant, prices):
    if not variant.is_active or not variant.product.is_active or variant.pk not in prices:
        raise VariantUnavailable()


def _quantity_check(*, variant, quantity, available):
    if quantity > settings.CART_LINE_MAX_QUANTITY:
        raise QuantityTooLarge(
            _("Не больше %(limit)s штук одного товара.") % {"limit": settings.CART_LINE_MAX_QUANTITY}
        )
    if quantity > available:
        raise CartStockInsufficient(
            _("В наличии только %(available)s шт. товара %(sku)s.") % {"available": available, "sku": variant.sku}
        )


def _touch_locked(cart):
    """Заблокировать строку корзины до конца транзакции той же командой, что отмечает её изменение.

    UPDATE берёт блокировку строки, как select_for_update, и откатывается вместе с транзакцией,
    если запись не удалась. Корзину тем временем удалили — CartNotFound.
    """
    now = timezone.now()
    if not Cart.objects.filter(pk=cart.pk).update(updated_at=now):
        raise CartNotFound()
    cart.updated_at = now


def cart_line_add(*, cart, variant_id, quantity, region=None):
    """Добавить quantity штук варианта (к уже лежащим в корзине) и вернуть вид корзины после записи.

    Вид собирается из того, что запись уже прочитала (строки, цены, остатки), — ответ API не
    читает корзину второй раз. cart=None — первое добавление анонимного покупателя: корзина в
    регионе region создаётся только после всех проверок, двумя вставками без транзакции
    (до ответа токен никому не известен, блокировать нечего; если вторая вставка не удастся,
    останется пустая корзина — её уберёт cart_anonymous_purge).

    Returns:
        CartView.

    Raises:
        VariantUnavailable, QuantityTooLarge, CartStockInsufficient, CartTooManyLines, CartNotFound.
    """
    if cart is None:
        variant = _variant_get(variant_id=variant_id)
        prices = variant_prices_for_region_bulk(variant_ids=[variant_id], region_id=region.pk)
        _for_sale_check(variant=variant, prices=prices)
        available = variants_available_in_region(variant_ids=[variant_id], region_id=region.pk)
        _quantity_check(variant=variant, quantity=quantity, available=available[variant_id])
        cart = Cart.objects.create(region=region)
        lines = [CartLine.objects.create(cart=cart, variant=variant, quantity=quantity)]
        return selectors.cart_view_build(cart=cart, lines=lines, prices=prices, available=available)
    with transaction.atomic():
        _touch_locked(cart)
        lines = selectors.cart_lines(cart=cart)
        line = next((item for item in lines if item.variant_id == variant_id), None)
        variant = line.variant if line is not None else _variant_get(variant_id=variant_id)
        variant_ids = [item.variant_id for item in lines] + ([] if line is not None else [variant_id])
        prices = variant_prices_for_region_bulk(variant_ids=variant_ids, region_id=cart.region_id)
        _for_sale_check(variant=variant, prices=prices)
        available = variants_available_in_region(variant_ids=variant_ids, region_id=cart.region_id)
        total = quantity + (line.quantity if line is not None else 0)
        _quantity_check(variant=variant, quantity=total, available=available[variant_id])
        if line is None:
            if len(lines) >= settings.CART_MAX_LINES:
                raise CartTooManyLines()
            lines.append(CartLine.objects.create(cart=cart, variant=variant, quantity=total))
        else:
            line.quantity = total
            line.save(update_fields=["quantity"])
        return selectors.cart_view_build(cart=cart, lines=lines, prices=prices, available=available)


@transaction.atomic
def cart_line_set(*, cart, variant_id, quantity):
    """Установить количество варианта в корзине; 0 убирает строку.

    Уменьшать можно всегда (даже если товара уже нет), увеличивать — в пределах наличия.

    Raises:
        CartLineNotFound, QuantityTooLarge, CartStockInsufficient.
    """
    cart = _locked(cart)
    line = CartLine.objects.select_related("variant").filter(cart=cart, variant_id=variant_id).first()
    if line is None:
        raise CartLineNotFound()
    if quantity == 0:
        line.delete()
    elif quantity != line.quantity:
        if quantity > line.quantity:
            available = variants_available_in_region(variant_ids=[variant_id], region_id=cart.region_id)
            _quantity_check(variant=line.variant, quantity=quantity, available=available[variant_id])
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_line_remove(*, cart, variant_id):
    """Убрать вариант из корзины. Raises: CartLineNotFound."""
    cart = _locked(cart)
    deleted, _rows = CartLine.objects.filter(cart=cart, variant_id=variant_id).delete()
    if not deleted:
        raise CartLineNotFound()
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_clear(*, cart):
    """Очистить корзину (после оформления заказа или по просьбе покупателя)."""
    cart = _locked(cart)
    CartLine.objects.filter(cart=cart).delete()
    # Промокод уходит вместе со строками: в новой корзине его надо ввести снова.
    cart.promo_code = ""
    cart.save(update_fields=["promo_code", "updated_at"])


def cart_clear_for_order(*, cart):
    """Очистить корзину, уже заблокированную оформлением (cart_lock_for_checkout), — два запроса.

    Строки удаляются одной командой без чтения: у строк корзины нет зависимых записей, а
    общие обработчики удаления (каталог, CDN) строк корзины не касаются (Collector читал бы их все).
    Вызывать внутри транзакции оформления.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CartLine._meta.db_table} WHERE cart_id = %s", [cart.pk])  # noqa: S608
    # Промокод уходит вместе со строками: в новой корзине его надо ввести снова.
    cart.promo_code = ""
    cart.save(update_fields=["promo_code", "updated_at"])


@transaction.atomic
def cart_merge(*, source, target):
    """Слить анонимную корзину source в корзину пользователя target и удалить source.

    Количества складываются, но не больше наличия в регионе target и потолка строки;
    уже лежавшее в target не уменьшается. Вариант, которого нет в наличии, переносится
    как есть — строка будет помечена, а не молча потеряна. Повторный вызов безопасен:
    вторая параллельная попытка не найдёт source.
    """
    target = _locked(target)
    source = Cart.objects.select_for_update().filter(pk=source.pk, user__isnull=True).first()
    if source is None:
        return target
    source_lines = list(CartLine.objects.filter(cart=source))
    existing = {line.variant_id: line for line in CartLine.objects.filter(cart=target)}
    available = variants_available_in_region(
        variant_ids=[line.variant_id for line in source_lines], region_id=target.region_id
    )
    lines_count = len(existing)
    for line in source_lines:
        current = existing.get(line.variant_id)
        current_quantity = current.quantity if current else 0
        quantity = min(current_quantity + line.quantity, settings.CART_LINE_MAX_QUANTITY)
        stock = available.get(line.variant_id, 0)
        if stock > 0 and quantity > stock:
            quantity = max(stock, current_quantity)
        if current is not None:
            if quantity != current.quantity:
                current.quantity = quantity
                current.save(update_fields=["quantity"])
        elif lines_count < settings.CART_MAX_LINES:
            CartLine.objects.create(cart=target, variant_id=line.variant_id, quantity=quantity)
            lines_count += 1
    if source.promo_code and not target.promo_code:
        # Промокод, введённый до входа, переезжает вместе со строками.
        target.promo_code = source.promo_code
    source.delete()
    target.save(update_fields=["promo_code", "updated_at"])
    return target


@transaction.atomic
def cart_region_switch(*, cart, region):
    """Перенести корзину в другой регион и вернуть список изменившихся строк.

    Returns:
        list[dict]: для каждой строки, у которой изменились цена, валюта или доступность:
        variant_id, sku, old_price, new_price, old_currency, new_currency, old_problem, new_problem.
    """
    cart = _locked(cart)
    if cart.region_id == region.pk:
        return []
    before = {line.variant_id: line for line in selectors.cart_view(cart=cart).lines}
    after = selectors.cart_view(cart=cart, region=region).lines
    changes = []
    for line in after:
        old = before.get(line.variant_id)
        if old is None:
            continue
        if (old.unit_price, old.currency, old.problem) != (line.unit_price, line.currency, line.problem):
            changes.append(
                {
                    "variant_id": line.variant_id,
                    "sku": line.sku,
                    "old_price": old.unit_price,
                    "new_price": line.unit_price,
                    "old_currency": old.currency,
                    "new_currency": line.currency,
                    "old_problem": old.problem,
                    "new_problem": line.problem,
                }
            )
    cart.region = region
    cart.save(update_fields=["region", "updated_at"])
    return changes


@transaction.atomic
def cart_promo_code_apply(*, cart, code):
    """Применить промокод к корзине: проверить его на текущих строках и запомнить.

    Проверки и расчёт — те же, что при каждом чтении корзины и при оформлении
    (selectors.cart_view → promotions). Код, который не подошёл, не сохраняется.

    Raises:
        PromoCodeError (400): неизвестен, ещё не начался, истёк, лимит исчерпан, не для
        этого региона, не хватает суммы, только на первый заказ, не действует на товары.
    """
    cart = _locked(cart)
    normalized = promo_code_normalize(code)
    view = selectors.cart_view(cart=cart, promo_code=normalized)
    if view.pricing.code_error is not None:
        raise view.pricing.code_error
    cart.promo_code = normalized
    cart.save(update_fields=["promo_code", "updated_at"])
    return cart


@transaction.atomic
def cart_promo_code_remove(*, cart):
    """Убрать промокод из корзины (повторный вызов безопасен)."""
    cart = _locked(cart)
    cart.promo_code = ""
    cart.save(update_fields=["promo_code", "updated_at"])
    return cart


def cart_anonymous_purge(*, older_than_days=None):
    """Удалить анонимные корзины, не менявшиеся дольше срока; вернуть их число."""
    days = settings.CART_ANONYMOUS_TTL_DAYS if older_than_days is None else older_than_days
    threshold = timezone.now() - timedelta(days=days)
    deleted, _rows = Cart.objects.filter(user__isnull=True, updated_at__lt=threshold).delete()
    return deleted
