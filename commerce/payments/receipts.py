"""Чек 54-ФЗ из заказа: позиции заказа и доставка, контакт покупателя.

Сумма чека обязана совпасть с суммой платежа до копейки — это проверяет ЮKassa, поэтому
чек строится из тех же снимков, что и итог заказа: сумма строки со всеми скидками
(OrderLine.line_total, скидка заказа уже разложена по строкам до копейки) и delivery_cost.
Цена позиции — цена единицы; если сумма строки не делится на количество нацело, строка
становится двумя позициями (receipt_unit_split). Подарки (сумма 0) в чек не попадают.
"""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from commerce.payments.providers.base import Receipt, ReceiptItem

CENT = Decimal("0.01")


def receipt_for_order(*, order, lines):
    """Собрать чек оплаты заказа.

    Args:
        order: заказ (контакты, стоимость доставки).
        lines: позиции заказа (снимки: название, вариант, цена за единицу, количество).
    Returns:
        Receipt, сумма которого равна order.total.
    """
    vat_code = settings.PAYMENTS_VAT_CODE
    payment_mode = settings.PAYMENTS_RECEIPT_PAYMENT_MODE
    items = [item for line in lines for item in _line_items(line=line, amount=line.line_total)]
    if order.delivery_cost and order.delivery_cost > 0:
        items.append(
            ReceiptItem(
                description=_("Доставка"),
                quantity=Decimal("1"),
                unit_price=order.delivery_cost,
                vat_code=vat_code,
                payment_subject="service",
                payment_mode=payment_mode,
            )
        )
    return Receipt(
        items=tuple(items),
        customer_email=order.contact_email or "",
        customer_phone=str(order.contact_phone or ""),
        customer_name=order.contact_name or "",
        tax_system_code=settings.PAYMENTS_TAX_SYSTEM_CODE,
    )


def receipt_unit_split(*, line_total, quantity):
    """Разбить сумму строки на позиции чека с ценой в копейках: [(количество, цена единицы)].

    Чек несёт цену единицы, а сумма строки со скидкой (например, 1000,00 за 3 шт.) может не
    делиться на количество нацело. Тогда строка — две позиции: часть штук по цене с
    округлением вниз и остаток штук на копейку дороже (2 × 333,33 и 1 × 333,34); сумма позиций
    равна сумме строки до копейки.
    """
    cents = int((Decimal(line_total) * 100).to_integral_value())
    unit, rest = divmod(cents, quantity)
    parts = [(quantity - rest, Decimal(unit) / 100), (rest, Decimal(unit + 1) / 100)]
    return [(count, price.quantize(CENT)) for count, price in parts if count > 0]


def _line_items(*, line, amount, quantity=None):
    """Позиции чека для строки заказа на сумму amount (0 — позиций нет: подарок)."""
    if amount <= 0:
        return []
    return [
        ReceiptItem(
            description=_receipt_line_name(line),
            quantity=Decimal(count),
            unit_price=price,
            vat_code=settings.PAYMENTS_VAT_CODE,
            payment_subject="commodity",
            payment_mode=settings.PAYMENTS_RECEIPT_PAYMENT_MODE,
            measure="piece",
        )
        for count, price in receipt_unit_split(line_total=amount, quantity=quantity or line.quantity)
    ]


def receipt_for_line_refund(*, order, line, amount):
    """Собрать чек возврата строки заказа: её позиции на сумму возврата (сумма строки со скидкой)."""
    return Receipt(
        items=tuple(_line_items(line=line, amount=amount)),
        customer_email=order.contact_email or "",
        customer_phone=str(order.contact_phone or ""),
        tax_system_code=settings.PAYMENTS_TAX_SYSTEM_CODE,
    )


def receipt_for_refund(*, order, amount):
    """Собрать чек возврата: одна позиция на сумму возврата."""
    return Receipt(
        items=(
            ReceiptItem(
                description=_("Возврат по заказу %(number)s") % {"number": order.number},
                quantity=Decimal("1"),
                unit_price=amount,
                vat_code=settings.PAYMENTS_VAT_CODE,
                payment_subject="commodity",
                payment_mode=settings.PAYMENTS_RECEIPT_PAYMENT_MODE,
            ),
        ),
        customer_email=order.contact_email or "",
        customer_phone=str(order.contact_phone or ""),
        tax_system_code=settings.PAYMENTS_TAX_SYSTEM_CODE,
    )


def _receipt_line_name(line):
    name = line.product_name
    if line.variant_name:
        name = f"{name} ({line.variant_name})"
    return name[:128]
