"""Правка строк оформленного заказа: количество, цена, убрать и добавить строку (сотрудник, 1С).

Правка — одна транзакция: строки, резервы, остатки, итоги и запись истории (OrderLineChange)
меняются вместе или не меняются вовсе. Порядок блокировок тот же, что у остальных сценариев
заказа (см. services): сначала строка заказа, затем строки остатков по первичному ключу
(inventory.services.stock_lock).

Резервы двигаются так же, как их двигают переходы статуса (services._reservations_apply):
у неоплаченного заказа (в т. ч. с оплатой при получении в «собирается») товар держит активный
резерв — добавленное резервируется, убранное снимается с резерва; у оплаченного резерв уже
списан со склада — добавленное списывается сразу, убранное возвращается на склад. Добавленное
берётся со складов региона заказа (самовывоз — только со склада пункта) в том же порядке,
что при оформлении; не хватает остатка — StockInsufficient, ничего не изменено.

Итоги считает сервер: товары = Σ цена × количество, скидка = Σ скидок строк, итог = товары −
скидка + доставка. Цену и скидку строки может задать вызывающий (1С присылает свои); без них
новая строка получает цену прайс-листа региона, а скидка прежней строки при той же цене
сохраняется пропорционально количеству (иначе — без скидки).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from commerce.catalog.models import Variant
from commerce.catalog.offers import product_offer_refresh_deferred
from commerce.inventory import services as inventory_services
from commerce.orders.exceptions import OrderLineInvalid, OrderLinesNotEditable, StockInsufficient
from commerce.orders.models import Order, OrderLine, OrderLineChange, OrderReservation, ReservationState
from commerce.orders.status import OrderStatus
from commerce.pricing.selectors import variant_prices_for_region_bulk

ZERO = Decimal("0.00")
# Пока товар не отгружен, состав заказа можно менять; дальше — только возврат.
LINES_EDITABLE_STATUSES = frozenset(
    {OrderStatus.NEW, OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.ASSEMBLING}
)


@dataclass
class LineWanted:
    """Строка заказа, какой она должна стать.

    Args:
        variant: вариант каталога; None — строка, чей вариант удалён из каталога (ищется по ``sku``,
            её можно только уменьшить или убрать).
        quantity: количество, > 0.
        unit_price: цена единицы; None — прежняя (у новой строки — цена прайс-листа региона).
        discount: скидка на строку целиком; None — по правилу модуля (см. docstring).
        sku: артикул строки без варианта.
    """

    variant: Variant | None = None
    quantity: int = 1
    unit_price: Decimal | None = None
    discount: Decimal | None = None
    sku: str = ""

    @property
    def key(self):
        return ("variant", self.variant.pk) if self.variant is not None else ("sku", self.sku)

    @property
    def label(self):
        return self.variant.sku if self.variant is not None else self.sku


def _line_key(line):
    return ("variant", line.variant_id) if line.variant_id else ("sku", line.sku)


def _wanted_index(lines):
    """Проверить строки и свести повторы одного товара в одну строку (количества складываются)."""
    wanted = {}
    for item in lines:
        if int(item.quantity) <= 0:
            raise OrderLineInvalid(_("Количество товара %(sku)s должно быть положительным.") % {"sku": item.label})
        if item.unit_price is not None and Decimal(item.unit_price) < 0:
            raise OrderLineInvalid(_("Цена товара %(sku)s не может быть отрицательной.") % {"sku": item.label})
        same = wanted.get(item.key)
        if same is None:
            wanted[item.key] = LineWanted(
                variant=item.variant,
                quantity=int(item.quantity),
                unit_price=None if item.unit_price is None else Decimal(item.unit_price).quantize(ZERO),
                discount=None if item.discount is None else Decimal(item.discount).quantize(ZERO),
                sku=item.sku,
            )
        else:
            same.quantity += int(item.quantity)
            if item.discount is not None:
                same.discount = (same.discount or ZERO) + Decimal(item.discount).quantize(ZERO)
    if not wanted:
        raise OrderLineInvalid(_("В заказе не осталось товаров: чтобы убрать всё, отмените заказ."))
    return wanted


def _discount(*, item, line, unit_price):
    """Скидка строки: заданная вызывающим или по правилу модуля; не больше суммы строки."""
    gross = unit_price * item.quantity
    if item.discount is not None:
        discount = item.discount
    elif line is not None and line.discount and unit_price == line.unit_price:
        discount = (line.discount * item.quantity / line.quantity).quantize(ZERO)
    else:
        discount = ZERO
    if discount < 0 or discount > gross:
        raise OrderLineInvalid(_("Скидка на товар %(sku)s больше суммы строки или отрицательна.") % {"sku": item.label})
    return discount


def _stocks_adjust(*, order, deltas, skus):
    """Сдвинуть резервы и остатки на разницу количеств {id варианта: +добавить/−убрать}."""
    deltas = {variant_id: delta for variant_id, delta in deltas.items() if delta}
    if not deltas:
        return
    consumed = order.paid_at is not None
    state = ReservationState.CONSUMED if consumed else ReservationState.ACTIVE
    stocks = inventory_services.stock_lock(variant_ids=sorted(deltas))
    reservations = {}
    for reservation in order.reservations.filter(variant_id__in=list(deltas), state=state).select_related(
        "variant", "warehouse"
    ):
        reservations.setdefault(reservation.variant_id, []).append(reservation)
    variants = Variant.objects.in_bulk([variant_id for variant_id, delta in deltas.items() if delta > 0])
    short = []
    for variant_id in sorted(deltas):
        delta = deltas[variant_id]
        if delta > 0:
            remaining = _stock_take(order=order, variant=variants[variant_id], stocks=stocks, quantity=delta)
            if remaining:
                short.append(skus[variant_id])
        else:
            _stock_return(rows=reservations.get(variant_id, []), quantity=-delta, consumed=consumed)
    if short:
        raise StockInsufficient(_("Не хватает на складе: %(skus)s.") % {"skus": ", ".join(short)})


def _stock_take(*, order, variant, stocks, quantity):
    """Зарезервировать (у оплаченного — сразу списать) quantity штук; вернуть, сколько не хватило."""
    candidates = [
        stock
        for stock in stocks
        if stock.variant_id == variant.pk
        and stock.warehouse.region_id == order.region_id
        and stock.warehouse.is_active
        and (order.pickup_warehouse_id is None or stock.warehouse_id == order.pickup_warehouse_id)
    ]
    candidates.sort(key=lambda row: (row.warehouse.sort_order, row.warehouse.code, row.pk))
    consumed = order.paid_at is not None
    remaining = quantity
    for stock in candidates:
        take = min(stock.available, remaining)
        if take <= 0:
            continue
        inventory_services.stock_reserve(variant=variant, warehouse=stock.warehouse, quantity=take)
        if consumed:
            inventory_services.stock_release(variant=variant, warehouse=stock.warehouse, quantity=take, ship=True)
        OrderReservation.objects.create(
            order=order,
            variant=variant,
            warehouse=stock.warehouse,
            quantity=take,
            state=ReservationState.CONSUMED if consumed else ReservationState.ACTIVE,
        )
        remaining -= take
        if not remaining:
            break
    return remaining


def _stock_return(*, rows, quantity, consumed):
    """Снять с резерва (у оплаченного — вернуть на склад) quantity штук, с последних резервов."""
    released = ReservationState.RESTOCKED if consumed else ReservationState.RELEASED
    remaining = quantity
    for reservation in sorted(rows, key=lambda row: row.pk, reverse=True):
        take = min(reservation.quantity, remaining)
        place = {"variant": reservation.variant, "warehouse": reservation.warehouse, "quantity": take}
        if consumed:
            inventory_services.stock_restock(**place)
        else:
            inventory_services.stock_release(**place)
        if take == reservation.quantity:
            reservation.state = released
            reservation.save(update_fields=["state", "updated_at"])
        else:
            # Часть резерва: строка остаётся с меньшим количеством, снятое — отдельной строкой.
            reservation.quantity -= take
            reservation.save(update_fields=["quantity", "updated_at"])
            OrderReservation.objects.create(
                order_id=reservation.order_id,
                variant=reservation.variant,
                warehouse=reservation.warehouse,
                quantity=take,
                state=released,
            )
        remaining -= take
        if not remaining:
            return


@transaction.atomic
def order_lines_update(*, order, lines, delivery_cost=None, actor=None, comment=""):
    """Привести строки заказа к lines: изменить количество и цены, убрать и добавить товары.

    Строки сопоставляются по варианту (строка без варианта — по артикулу); строки заказа, которых
    нет в lines, убираются. Повтор той же правки ничего не меняет и истории не пишет.

    Args:
        order: заказ (будет заблокирован и перечитан).
        lines: list[LineWanted] — весь новый состав заказа.
        delivery_cost: новая стоимость доставки; None — прежняя.
        actor: сотрудник или None (система, 1С — тогда автор назван в comment).
        comment: комментарий в историю правок.

    Returns:
        (Order, OrderLineChange | None) — перечитанный заказ и запись истории (None — ничего не изменилось).

    Raises:
        OrderLinesNotEditable (409): заказ уже отгружен, закрыт, отменён или возвращён.
        OrderLineInvalid (400): количество ≤ 0, отрицательная цена или скидка больше суммы строки,
            новая строка без варианта или без цены в регионе, пустой заказ, строка с возвратом платежа.
        StockInsufficient (409): для добавленного не хватает остатка на складах региона.
    """
    order = Order.objects.select_for_update().select_related("region").get(pk=order.pk)
    wanted = _wanted_index(lines)
    current = {_line_key(line): line for line in order.lines.select_related("variant__product")}
    added = [item for key, item in wanted.items() if key not in current]
    for item in added:
        if item.variant is None:
            raise OrderLineInvalid(_("Товар %(sku)s не найден в каталоге сайта.") % {"sku": item.label})
    region_prices = variant_prices_for_region_bulk(
        variant_ids=[item.variant.pk for item in added if item.unit_price is None], region_id=order.region_id
    )

    changes, deltas, skus = [], {}, {}
    updated, created = [], []
    for key, item in wanted.items():
        line = current.get(key)
        if line is None:
            if item.unit_price is None and item.variant.pk not in region_prices:
                raise OrderLineInvalid(
                    _("У товара %(sku)s нет цены в регионе заказа: укажите цену.") % {"sku": item.label}
                )
            unit_price = item.unit_price if item.unit_price is not None else region_prices[item.variant.pk].price
            discount = _discount(item=item, line=None, unit_price=unit_price)
            line = OrderLine(
                order=order,
                variant=item.variant,
                sku=item.variant.sku,
                product_name=item.variant.product.name,
                product_slug=item.variant.product.slug,
                variant_name=item.variant.name,
                unit_price=unit_price,
                quantity=item.quantity,
                discount=discount,
                line_total=(unit_price * item.quantity - discount).quantize(ZERO),
            )
            created.append(line)
            changes.append(_change(line=line, quantity_before=0, price_before=None))
            deltas[item.variant.pk] = deltas.get(item.variant.pk, 0) + item.quantity
            skus[item.variant.pk] = line.sku
            continue
        unit_price = item.unit_price if item.unit_price is not None else line.unit_price
        discount = _discount(item=item, line=line, unit_price=unit_price)
        if (line.quantity, line.unit_price, line.discount) == (item.quantity, unit_price, discount):
            continue
        if line.variant_id is None and item.quantity > line.quantity:
            raise OrderLineInvalid(
                _("Товара %(sku)s больше нет в каталоге: его количество можно только уменьшить.") % {"sku": line.sku}
            )
        quantity_before, price_before = line.quantity, line.unit_price
        if line.variant_id:
            deltas[line.variant_id] = deltas.get(line.variant_id, 0) + item.quantity - line.quantity
            skus[line.variant_id] = line.sku
        if unit_price != line.unit_price:
            line.old_unit_price = None  # зачёркнутая цена каталога к новой цене не относится
        line.quantity, line.unit_price, line.discount = item.quantity, unit_price, discount
        line.line_total = (unit_price * item.quantity - discount).quantize(ZERO)
        updated.append(line)
        changes.append(_change(line=line, quantity_before=quantity_before, price_before=price_before))
    removed = [line for key, line in current.items() if key not in wanted]
    for line in removed:
        if line.variant_id:
            deltas[line.variant_id] = deltas.get(line.variant_id, 0) - line.quantity
            skus[line.variant_id] = line.sku
        change = _change(line=line, quantity_before=line.quantity, price_before=line.unit_price)
        change.update(quantity=0, unit_price=None)
        changes.append(change)
    new_delivery = order.delivery_cost if delivery_cost is None else Decimal(delivery_cost).quantize(ZERO)
    if new_delivery < 0:
        raise OrderLineInvalid(_("Стоимость доставки не может быть отрицательной."))
    if not changes and new_delivery == order.delivery_cost:
        return order, None
    if order.status not in LINES_EDITABLE_STATUSES:
        # Проверка — после сверки: тот же состав отгруженного заказа (1С шлёт его со статусом) не ошибка.
        raise OrderLinesNotEditable()

    with product_offer_refresh_deferred():
        _stocks_adjust(order=order, deltas=deltas, skus=skus)
    try:
        OrderLine.objects.filter(pk__in=[line.pk for line in removed]).delete()
    except ProtectedError:
        raise OrderLineInvalid(_("По убранной строке уже был возврат платежа: её нельзя удалить из заказа.")) from None
    OrderLine.objects.bulk_update(updated, ["quantity", "unit_price", "old_unit_price", "discount", "line_total"])
    OrderLine.objects.bulk_create(created)

    total_before = order.total
    lines_now = [line for key, line in current.items() if key in wanted] + created
    order.subtotal = sum((line.unit_price * line.quantity for line in lines_now), ZERO).quantize(ZERO)
    order.discount_total = sum((line.discount for line in lines_now), ZERO)
    order.delivery_cost = new_delivery
    order.total = order.subtotal - order.discount_total + order.delivery_cost
    order.save(update_fields=["subtotal", "discount_total", "delivery_cost", "total", "updated_at"])
    record = OrderLineChange.objects.create(
        order=order, changed_by=actor, comment=comment, changes=changes, total_before=total_before, total=order.total
    )
    return order, record


def _change(*, line, quantity_before, price_before):
    return {
        "sku": line.sku,
        "name": line.product_name,
        "quantity_before": quantity_before,
        "quantity": line.quantity,
        "unit_price_before": None if price_before is None else str(price_before),
        "unit_price": str(line.unit_price),
    }
