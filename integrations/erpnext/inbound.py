"""Изменения в ERPNext — обратно в магазин: вебхуки Item, Item Price, Bin, Sales Order, Delivery Note.

Тело вебхука называет только документ (``doctype`` и ``name``); сам документ всегда
перечитывается из API, и применяется то, что ответил API, а не тело. Статус заказа меняет
только машина статусов магазина (``order_status_change``): статус ERPNext переводится в наш по
``status_map``, промежуточные шаги проходятся по таблице переходов, а недопустимый переход
записывается ошибкой в журнал.
"""

import json
import logging
from collections import deque
from urllib.parse import parse_qsl

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commerce.orders.exceptions import OrderTransitionNotAllowed
from commerce.orders.models import Order
from commerce.orders.services import order_status_change
from commerce.orders.status import TRANSITIONS, OrderStatus
from integrations.core.models import ExternalId, ExternalKind, SyncDirection, SyncRun, SyncState
from integrations.erpnext.options import options_get
from integrations.erpnext.pull import document_apply

logger = logging.getLogger(__name__)

CATALOG_DOCTYPES = frozenset({"Item", "Item Price", "Bin"})
ORDER_DOCTYPES = frozenset({"Sales Order", "Delivery Note"})
# Оплату подтверждает платёжная система, отмену и возврат — только явный статус: через них путь не идёт.
PATH_FORBIDDEN = frozenset({OrderStatus.PAID, OrderStatus.CANCELLED, OrderStatus.RETURNED})
INBOUND_FORBIDDEN = frozenset({OrderStatus.PAID})


class WebhookBodyInvalid(ValueError):
    """В теле вебхука нет doctype и name."""


def webhook_document(body):
    """Разобрать тело вебхука Frappe (JSON; «Form URL-Encoded» Frappe тоже шлёт JSON-строкой).

    Returns:
        (doctype, name).

    Raises:
        WebhookBodyInvalid.
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    try:
        document = json.loads(text)
    except ValueError:
        document = dict(parse_qsl(text))
    if not isinstance(document, dict):
        raise WebhookBodyInvalid(_("Тело вебхука — не объект."))
    doctype = str(document.get("doctype") or "").strip()
    name = str(document.get("name") or "").strip()
    if not doctype or not name:
        raise WebhookBodyInvalid(_("В теле вебхука нет doctype и name."))
    return doctype, name


def status_path(*, from_status, to_status):
    """Кратчайший путь переходов from → to по таблице машины статусов (без оплаты/отмены посередине).

    Returns:
        list статусов после ``from_status`` до ``to_status`` включительно или None — пути нет.
    """
    if from_status == to_status:
        return []
    queue, seen = deque([(from_status, [])]), {from_status}
    while queue:
        status, path = queue.popleft()
        for following in TRANSITIONS.get(status, ()):
            if following in seen:
                continue
            if following == to_status:
                return [*path, following]
            if following in PATH_FORBIDDEN:
                continue
            seen.add(following)
            queue.append((following, [*path, following]))
    return None


def _orders_for_sales_orders(connection, names):
    mapped = dict(
        ExternalId.objects.filter(
            connection=connection, kind=ExternalKind.ORDER, external_id__in=list(names)
        ).values_list("external_id", "object_id")
    )
    return mapped


def order_status_apply(*, connection, order, target, source, run):
    """Провести заказ в статус ``target`` по машине статусов; итог — в ``run``."""
    label = _("заказ %(number)s") % {"number": order.number}
    if order.status == target:
        run.unchanged += 1
        return
    if target in INBOUND_FORBIDDEN:
        run.error_add(
            obj=label,
            message=_("Статус ERPNext означает «%(status)s»: оплату подтверждает только платёжная система.")
            % {"status": OrderStatus(target).label},
        )
        return
    path = status_path(from_status=order.status, to_status=target)
    if path is None:
        run.error_add(
            obj=label,
            message=_("Нельзя перевести заказ из «%(from)s» в «%(to)s» (%(source)s).")
            % {"from": OrderStatus(order.status).label, "to": OrderStatus(target).label, "source": source},
        )
        return
    try:
        for status in path:
            order = order_status_change(
                order=order, to_status=status, comment=_("Изменено в ERPNext: %(source)s.") % {"source": source}
            )
    except OrderTransitionNotAllowed as error:
        run.error_add(obj=label, message=str(error.detail))
        return
    run.updated += 1
    logger.info("ERPNext %s: заказ %s → %s (%s)", connection.code, order.number, target, source)


def sales_order_apply(*, api, connection, name, run):
    """Перечитать Sales Order и перевести наш заказ по ``status_map``."""
    document = api.get("Sales Order", name)
    if document is None:
        run.skipped += 1
        return
    order_id = _orders_for_sales_orders(connection, [name]).get(name)
    order = Order.objects.filter(pk=order_id).first() if order_id else None
    if order is None and document.get("po_no"):
        order = Order.objects.filter(number=document["po_no"]).first()
    if order is None:
        run.skipped += 1
        return
    status = "Cancelled" if int(document.get("docstatus") or 0) == 2 else str(document.get("status") or "")
    target = options_get(connection)["status_map"].get(status)
    if target is None:
        run.unchanged += 1
        return
    order_status_apply(
        connection=connection, order=order, target=target, source=f"Sales Order {name}: {status}", run=run
    )


def delivery_note_apply(*, api, connection, name, run):
    """Перечитать Delivery Note и перевести заказы его строк по ``status_map["Delivery Note:<статус>"]``."""
    document = api.get("Delivery Note", name)
    if document is None:
        run.skipped += 1
        return
    status = "Cancelled" if int(document.get("docstatus") or 0) == 2 else str(document.get("status") or "")
    target = options_get(connection)["status_map"].get(f"Delivery Note:{status}")
    sales_orders = {
        item.get("against_sales_order") for item in document.get("items") or () if item.get("against_sales_order")
    }
    orders = _orders_for_sales_orders(connection, sales_orders)
    if target is None or not orders:
        run.unchanged += 1
        return
    for order in Order.objects.filter(pk__in=[int(pk) for pk in orders.values()]).order_by("pk"):
        order_status_apply(
            connection=connection, order=order, target=target, source=f"Delivery Note {name}: {status}", run=run
        )


def webhook_apply(*, api, connection, body):
    """Обработать вебхук ERPNext: перечитать документ и применить; итог — в журнале синхронизаций.

    Returns:
        SyncRun.

    Raises:
        WebhookBodyInvalid: в теле нет документа.
    """
    doctype, name = webhook_document(body)
    run = SyncRun.objects.create(connection=connection, direction=SyncDirection.PULL)
    try:
        if doctype in CATALOG_DOCTYPES:
            document_apply(api=api, connection=connection, run=run, doctype=doctype, name=name)
        elif doctype in ORDER_DOCTYPES:
            with transaction.atomic():
                apply = sales_order_apply if doctype == "Sales Order" else delivery_note_apply
                apply(api=api, connection=connection, name=name, run=run)
        else:
            run.skipped += 1
            run.error_add(obj=f"{doctype} {name}", message=_("Вебхуки этого DocType не обрабатываются."))
    except Exception as error:
        run.state = SyncState.FAILED
        run.error_add(obj=f"{doctype} {name}", message=f"{type(error).__name__}: {error}")
        run.finished_at = timezone.now()
        run.save()
        raise
    run.state = SyncState.ERRORS if run.failed else SyncState.OK
    run.finished_at = timezone.now()
    run.save()
    return run
