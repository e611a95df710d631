"""Заказы магазина в ERPNext: покупатель (Customer) и заказ покупателя (Sales Order), отмена.

Outbox доставляет «хотя бы раз», поэтому каждая функция выдерживает повтор: заказ ищется по
сопоставлению ядра, а если ответ ERPNext на создание потерялся — по нашему номеру в ``po_no``.
Так в ERPNext остаётся ровно один Sales Order на заказ.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from commerce.orders.models import Order
from commerce.orders.selectors import phone_normalize
from integrations.core.models import ExternalId, ExternalKind
from integrations.core.registry import DeliveryError
from integrations.core.sync import external_id_for_object, external_id_set
from integrations.erpnext.client import FrappeError
from integrations.erpnext.options import options_get

logger = logging.getLogger(__name__)

# Статусы Sales Order, при которых отменять поздно: товар отгружен или заказ закрыт.
NOT_CANCELLABLE = frozenset({"Completed", "Closed"})


def _order_load(order_id):
    order = Order.objects.select_related("region", "user").prefetch_related("lines").filter(pk=order_id).first()
    if order is None:
        raise DeliveryError(_("Заказ %(id)s не найден.") % {"id": order_id}, permanent=True)
    return order


def sales_order_find(*, api, connection, order):
    """Имя Sales Order заказа: из сопоставления или по ``po_no`` (не отменённый); None — ещё не создан."""
    name = external_id_for_object(connection=connection, kind=ExternalKind.ORDER, object_id=order.pk)
    if name:
        return name
    rows = api.list(
        "Sales Order",
        fields=["name", "docstatus"],
        filters=[["po_no", "=", order.number], ["docstatus", "<", 2]],
        order_by="creation asc",
        limit=1,
    )
    if rows:
        name = rows[0]["name"]
        external_id_set(connection=connection, kind=ExternalKind.ORDER, external_id=name, object_id=order.pk)
        return name
    return None


def customer_find_or_create(*, api, connection, order, options):
    """Найти покупателя ERPNext по телефону или e-mail или создать; вернуть имя Customer."""
    if order.user_id:
        known = external_id_for_object(connection=connection, kind=ExternalKind.CUSTOMER, object_id=order.user_id)
        if known:
            return known
    phone = phone_normalize(order.contact_phone) if order.contact_phone else None
    email = (order.contact_email or "").strip().lower()
    name = None
    for field, value in (("mobile_no", phone), ("email_id", email)):
        if not value:
            continue
        rows = api.list("Customer", fields=["name"], filters=[[field, "=", value]], order_by="creation asc", limit=1)
        if rows:
            name = rows[0]["name"]
            break
    if name is None:
        document = {
            "customer_name": order.contact_name or phone or email or order.number,
            "customer_type": "Individual",
        }
        for key in ("customer_group", "territory"):
            if options.get(key):
                document[key] = options[key]
        if phone:
            document["mobile_no"] = phone
        if email:
            document["email_id"] = email
        name = api.insert("Customer", document)["name"]
        logger.info("ERPNext %s: создан покупатель %s", connection.code, name)
    if order.user_id:
        external_id_set(connection=connection, kind=ExternalKind.CUSTOMER, external_id=name, object_id=order.user_id)
    return name


def _reverse(mapping, code):
    for theirs, ours in mapping.items():
        if ours == code:
            return theirs
    return None


def _money(value):
    return float(Decimal(value).quantize(Decimal("0.01")))


def sales_order_document(*, connection, order, customer, options):
    """Собрать Sales Order заказа.

    Raises:
        DeliveryError (permanent): товар заказа не из ERPNext или не задана организация.
    """
    if not options.get("company"):
        raise DeliveryError(_("Не задана организация (company) для заказов ERPNext."))
    lines = list(order.lines.all())
    codes = dict(
        ExternalId.objects.filter(
            connection=connection,
            kind=ExternalKind.VARIANT,
            object_id__in=[str(line.variant_id) for line in lines if line.variant_id],
        ).values_list("object_id", "external_id")
    )
    created = timezone.localtime(order.created_at).date()
    delivery = created + timedelta(days=options["delivery_days"])
    items, missing = [], []
    for line in lines:
        code = codes.get(str(line.variant_id)) if line.variant_id else None
        if code is None:
            missing.append(line.sku)
            continue
        items.append(
            {
                "item_code": code,
                "qty": line.quantity,
                "rate": _money(line.unit_price),
                "delivery_date": delivery.isoformat(),
            }
        )
    if missing:
        raise DeliveryError(
            _("Товары %(skus)s не загружены из ERPNext: заказ %(number)s не передан.")
            % {"skus": ", ".join(missing), "number": order.number},
            permanent=True,
        )
    if order.delivery_cost and order.delivery_cost > 0 and options.get("delivery_item"):
        items.append(
            {
                "item_code": options["delivery_item"],
                "qty": 1,
                "rate": _money(order.delivery_cost),
                "delivery_date": delivery.isoformat(),
            }
        )
    document = {
        "customer": customer,
        "company": options["company"],
        "transaction_date": created.isoformat(),
        "delivery_date": delivery.isoformat(),
        "currency": order.currency,
        # Наш номер заказа: по нему заказ находится при повторе доставки и в интерфейсе ERPNext.
        "po_no": order.number,
        "po_date": created.isoformat(),
        # Цены — наши (со скидками магазина): правила ценообразования ERPNext их не меняют.
        "ignore_pricing_rule": 1,
        "items": items,
        "docstatus": 1 if options["submit_orders"] else 0,
    }
    price_list = getattr(order.region, "price_list", None)
    selling = _reverse(options["price_list_map"], price_list.code) if price_list is not None else None
    if selling:
        document["selling_price_list"] = selling
    if order.pickup_warehouse_id:
        warehouse = _reverse(options["warehouse_map"], order.pickup_warehouse.code)
        if warehouse:
            document["set_warehouse"] = warehouse
    if options.get("taxes_template"):
        document["taxes_and_charges"] = options["taxes_template"]
    return document


def _frappe_delivery_error(error, *, order):
    """Ошибка проверки ERPNext (417 и т. п.) — повтор не поможет: «мёртвая» доставка с причиной."""
    return DeliveryError(
        _("ERPNext не принял заказ %(number)s: %(message)s") % {"number": order.number, "message": error},
        permanent=error.status in (400, 409, 417, 422),
    )


def order_created_deliver(*, api, connection, event):
    """Создать Sales Order заказа (один раз) с покупателем; вернуть имя Sales Order."""
    order = _order_load(event.object_id)
    name = sales_order_find(api=api, connection=connection, order=order)
    if name:
        return name
    options = options_get(connection)
    try:
        customer = customer_find_or_create(api=api, connection=connection, order=order, options=options)
        document = sales_order_document(connection=connection, order=order, customer=customer, options=options)
        name = api.insert("Sales Order", document)["name"]
    except FrappeError as error:
        raise _frappe_delivery_error(error, order=order) from error
    external_id_set(connection=connection, kind=ExternalKind.ORDER, external_id=name, object_id=order.pk)
    logger.info("ERPNext %s: заказ %s → Sales Order %s", connection.code, order.number, name)
    return name


def order_cancelled_deliver(*, api, connection, event):
    """Отменить Sales Order отменённого заказа (docstatus 2), черновик — удалить.

    Отгруженный или закрытый в ERPNext заказ не отменяется: «мёртвая» доставка с причиной, чтобы
    менеджер разобрался вручную (возврат оформляется в ERPNext).

    Returns:
        str — итог: cancelled, deleted, already, absent.
    """
    order = _order_load(event.object_id)
    name = sales_order_find(api=api, connection=connection, order=order)
    if name is None:
        return "absent"
    document = api.get("Sales Order", name)
    if document is None or int(document.get("docstatus") or 0) == 2:
        return "already"
    try:
        if int(document.get("docstatus") or 0) == 0:
            api.delete("Sales Order", name)
            ExternalId.objects.filter(connection=connection, kind=ExternalKind.ORDER, external_id=name).delete()
            return "deleted"
        if document.get("status") in NOT_CANCELLABLE or float(document.get("per_delivered") or 0) > 0:
            raise DeliveryError(
                _("Sales Order %(name)s уже отгружен или закрыт в ERPNext: отмените его там вручную.") % {"name": name},
                permanent=True,
            )
        api.update("Sales Order", name, {"docstatus": 2})
    except FrappeError as error:
        raise DeliveryError(
            _("ERPNext не отменил Sales Order %(name)s: %(message)s") % {"name": name, "message": error},
            permanent=error.status in (400, 409, 417, 422),
        ) from error
    logger.info("ERPNext %s: заказ %s отменён, Sales Order %s", connection.code, order.number, name)
    return "cancelled"
