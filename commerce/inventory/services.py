"""Записи остатков: установить остаток, зарезервировать и снять резерв (для оформления заказа)."""

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from commerce.inventory import error_codes, signals
from commerce.inventory.models import Stock


class StockInsufficient(APIException):
    """Доступного остатка меньше, чем просят."""

    status_code = 409
    default_code = error_codes.STOCK_INSUFFICIENT
    default_detail = _("Недостаточно товара на складе.")


class QuantityInvalid(APIException):
    status_code = 400
    default_code = error_codes.QUANTITY_INVALID
    default_detail = _("Количество должно быть положительным.")


@transaction.atomic
def stock_set(*, variant, warehouse, quantity):
    """Установить остаток варианта на складе (резерв сохраняется и не может превысить остаток)."""
    if quantity < 0:
        raise QuantityInvalid()
    stock, _created = Stock.objects.select_for_update().get_or_create(variant=variant, warehouse=warehouse)
    if stock.reserved > quantity:
        raise StockInsufficient(_("Остаток меньше уже зарезервированного."))
    stock.quantity = quantity
    stock.save(update_fields=["quantity"])
    return stock


@transaction.atomic
def stock_reserve(*, variant, warehouse, quantity):
    """Зарезервировать quantity штук под заказ; строка блокируется до конца транзакции.

    Raises:
        StockInsufficient: доступно (на складе − резерв) меньше quantity.
        QuantityInvalid: quantity не положительно.
    """
    if quantity <= 0:
        raise QuantityInvalid()
    stock = Stock.objects.select_for_update().filter(variant=variant, warehouse=warehouse).first()
    if stock is None or stock.available < quantity:
        raise StockInsufficient()
    stock.reserved += quantity
    stock.save(update_fields=["reserved"])
    return stock


def stocks_reserve(*, reservations):
    """Зарезервировать под заказ пачку уже заблокированных строк остатков одной командой UPDATE.

    Строки должны быть заблокированы stock_lock в этой же транзакции, а количества —
    распределены по их доступному остатку: тогда резерв не превысит остаток (это держит и
    ограничение базы reserved <= quantity). Вместо post_save каждой строки шлётся один сигнал
    signals.stocks_changed. Вызывать внутри transaction.atomic.

    Args:
        reservations: list[(Stock, quantity)] — строка остатка и сколько из неё зарезервировать.

    Returns:
        list[Stock] — те же строки с новым reserved.

    Raises:
        QuantityInvalid: количество не положительно.
    """
    added = {}
    stocks = {}
    for stock, quantity in reservations:
        if quantity <= 0:
            raise QuantityInvalid()
        added[stock.pk] = added.get(stock.pk, 0) + quantity
        stocks[stock.pk] = stock
    if not added:
        return []
    Stock.objects.filter(pk__in=sorted(added)).update(
        reserved=F("reserved")
        + Case(*(When(pk=pk, then=Value(quantity)) for pk, quantity in added.items()), output_field=IntegerField())
    )
    for pk, quantity in added.items():
        stocks[pk].reserved += quantity
    changed = [stocks[pk] for pk in sorted(stocks)]
    signals.stocks_changed.send(sender=Stock, stocks=changed)
    return changed


@transaction.atomic
def stock_release(*, variant, warehouse, quantity, ship=False):
    """Снять резерв (отмена заказа) или списать зарезервированное (ship=True — отгрузка)."""
    if quantity <= 0:
        raise QuantityInvalid()
    stock = Stock.objects.select_for_update().get(variant=variant, warehouse=warehouse)
    quantity = min(quantity, stock.reserved)
    stock.reserved -= quantity
    if ship:
        stock.quantity -= quantity
    stock.save(update_fields=["reserved", "quantity"])
    return stock


def stock_lock(*, variant_ids, region_id=None, warehouse_ids=None):
    """Заблокировать строки остатков вариантов (select_for_update) строго в порядке первичного ключа.

    Оформление заказа, оплата и снятие резерва блокируют строки одной функцией и в одном
    порядке, поэтому две транзакции с одними и теми же вариантами в разном порядке
    не могут взаимно заблокироваться (deadlock). Блокируются только строки Stock
    (``of=("self",)``), не склады. Вызывать внутри transaction.atomic.

    Args:
        variant_ids: id вариантов.
        region_id: только активные склады этого региона (None — любые склады).
        warehouse_ids: только эти склады (None — любые).

    Returns:
        list[Stock] в порядке pk, со складом (select_related) — для распределения по складам.
    """
    queryset = (
        Stock.objects.select_for_update(of=("self",))
        .select_related("warehouse")
        .filter(variant_id__in=set(variant_ids))
    )
    if region_id is not None:
        queryset = queryset.filter(warehouse__region_id=region_id, warehouse__is_active=True)
    if warehouse_ids is not None:
        queryset = queryset.filter(warehouse_id__in=set(warehouse_ids))
    return list(queryset.order_by("pk"))


@transaction.atomic
def stock_restock(*, variant, warehouse, quantity):
    """Вернуть на склад quantity штук, уже списанных (отмена оплаченного, но не отгруженного заказа)."""
    if quantity <= 0:
        raise QuantityInvalid()
    stock, _created = Stock.objects.select_for_update().get_or_create(variant=variant, warehouse=warehouse)
    stock.quantity += quantity
    stock.save(update_fields=["quantity"])
    return stock


def stocks_bulk_set(*, rows):
    """Установить остатки пачкой: [(id варианта, id склада, количество)] одной командой upsert.

    Остаток не опускается ниже уже зарезервированного (резерв держат оформленные заказы):
    такие строки получают остаток, равный резерву, и возвращаются, чтобы вызывающий сообщил о них.
    Сигналы не шлются: предложения пересчитывает вызывающий.

    Returns:
        list[(id варианта, id склада, запрошено, записано)] — строки, поднятые до резерва.

    Raises:
        QuantityInvalid: отрицательное количество.
    """
    if not rows:
        return []
    wanted = {}
    for variant_id, warehouse_id, quantity in rows:
        if quantity < 0:
            raise QuantityInvalid()
        wanted[(variant_id, warehouse_id)] = quantity
    reserved = {
        (row["variant_id"], row["warehouse_id"]): row["reserved"]
        for row in Stock.objects.filter(variant_id__in={key[0] for key in wanted}, reserved__gt=0).values(
            "variant_id", "warehouse_id", "reserved"
        )
    }
    raised, objects = [], []
    for (variant_id, warehouse_id), quantity in wanted.items():
        held = reserved.get((variant_id, warehouse_id), 0)
        if held > quantity:
            raised.append((variant_id, warehouse_id, quantity, held))
            quantity = held
        objects.append(Stock(variant_id=variant_id, warehouse_id=warehouse_id, quantity=quantity, reserved=held))
    Stock.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=["variant", "warehouse"], update_fields=["quantity"]
    )
    return raised
