"""Чек 54-ФЗ из заказа: позиции заказа и доставка, контакт покупателя.

Сумма чека обязана совпасть с суммой платежа до копейки — это проверяет ЮKassa, поэтому
чек строится из тех же снимков цен, что и итог заказа (OrderLine.unit_price, delivery_cost).
"""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from commerce.payments.providers.base import Receipt, ReceiptItem


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
    items = [
        ReceiptItem(
            description=_receipt_line_name(line),
            quantity=Decimal(line.quantity),
            unit_price=line.unit_price,
            vat_code=vat_code,
            payment_subject="commodity",
            payment_mode=payment_mode,
            measure="piece",
        )
        for line in lines
    ]
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
