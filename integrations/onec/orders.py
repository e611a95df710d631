"""Заказы в обмене с 1С: документ CommerceML для mode=query, отметка success, изменения из 1С."""

import logging
from collections import deque
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException

from commerce.catalog.models import Variant, VatRate
from commerce.orders import line_edits
from commerce.orders import services as order_services
from commerce.orders.exceptions import OrderLineInvalid, OrderTransitionNotAllowed
from commerce.orders.models import Order, OrderLine
from commerce.orders.status import TRANSITIONS, OrderStatus
from integrations.core.models import ExternalId, ExternalKind
from integrations.onec.models import OrderExport
from integrations.onec.parser import CommerceMLReader, child, children, decimal, flag, text
from integrations.onec.units import VAT_NAME, unit_for_export, vat_amount, vat_rate_text

logger = logging.getLogger(__name__)

QUERY_LIMIT = 500
# Ид псевдотовара «доставка» в документе (соглашение Битрикса, его понимает 1С).
DELIVERY_ID = "ORDER_DELIVERY"
SCHEMA_VERSION = "2.10"
# Подпись в истории заказа: изменения, пришедшие из 1С.
AUTHOR = "1С"


def orders_pending(*, connection, limit=QUERY_LIMIT):
    """Заказы, которые 1С ещё не подтвердила (или изменились после подтверждения), старые первыми."""
    confirmed = OrderExport.objects.filter(
        connection=connection, order=OuterRef("pk"), order_updated_at__gte=OuterRef("updated_at")
    )
    return list(
        Order.objects.filter(~Q(Exists(confirmed)))
        .select_related("pickup_warehouse")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related("variant__product")))
        .order_by("created_at", "pk")[:limit]
    )


def _sub(parent, tag, value=None):
    element = ET.SubElement(parent, tag)
    if value is not None:
        element.text = str(value)
    return element


def _requisite(parent, name, value):
    item = _sub(parent, "ЗначениеРеквизита")
    _sub(item, "Наименование", name)
    _sub(item, "Значение", value)


def _money(value):
    return f"{value:.2f}"


ZERO = Decimal("0.00")


def _line_vat_rate(line):
    """Ставка НДС строки — ставка товара из каталога ("" — не известна: 1С возьмёт свою)."""
    return line.variant.product.vat_rate if line.variant_id and line.variant else ""


def _unit(item, line):
    """Элемент БазоваяЕдиница строки: единица товара (без неё — штука), как её описывает 1С."""
    product = line.variant.product if line.variant_id and line.variant else None
    unit = unit_for_export(
        code=product.unit_code if product else "",
        name=product.unit_name if product else "",
        full_name=product.unit_full_name if product else "",
        international=product.unit_international if product else "",
    )
    attributes = {"Код": unit.code, "НаименованиеПолное": unit.full_name, "МеждународноеСокращение": unit.international}
    _sub(item, "БазоваяЕдиница", unit.name).attrib.update({key: value for key, value in attributes.items() if value})


def _tax(parent, amount):
    """Блок Налоги/Налог: НДС, уже включённый в цены (УчтеноВСумме), на сумму amount."""
    tax = _sub(_sub(parent, "Налоги"), "Налог")
    _sub(tax, "Наименование", VAT_NAME)
    _sub(tax, "УчтеноВСумме", "true")
    _sub(tax, "Сумма", _money(amount))


def orders_document(*, connection, orders, encoding="utf-8"):
    """Собрать документ CommerceML с заказами; вернуть байты в кодировке с совпадающим объявлением XML."""
    variant_ids = {line.variant_id for order in orders for line in order.lines.all() if line.variant_id}
    external = dict(
        ExternalId.objects.filter(
            connection=connection, kind=ExternalKind.VARIANT, object_id__in=[str(pk) for pk in variant_ids]
        ).values_list("object_id", "external_id")
    )
    now = timezone.localtime()
    root = ET.Element(
        "КоммерческаяИнформация", {"ВерсияСхемы": SCHEMA_VERSION, "ДатаФормирования": now.strftime("%Y-%m-%dT%H:%M:%S")}
    )
    for order in orders:
        created = timezone.localtime(order.created_at)
        document = _sub(root, "Документ")
        _sub(document, "Ид", order.number)
        _sub(document, "Номер", order.number)
        _sub(document, "Дата", created.strftime("%Y-%m-%d"))
        _sub(document, "ХозОперация", "Заказ товара")
        _sub(document, "Роль", "Продавец")
        _sub(document, "Валюта", order.currency)
        _sub(document, "Курс", "1")
        _sub(document, "Сумма", _money(order.total))
        parties = _sub(document, "Контрагенты")
        party = _sub(parties, "Контрагент")
        _sub(party, "Ид", f"user-{order.user_id}" if order.user_id else f"guest-{order.number}")
        _sub(party, "Наименование", order.contact_name)
        _sub(party, "Роль", "Покупатель")
        _sub(party, "ПолноеНаименование", order.contact_name)
        if order.delivery_address:
            address = _sub(party, "АдресРегистрации")
            _sub(address, "Представление", order.delivery_address)
        contacts = _sub(party, "Контакты")
        for kind, value in (("Телефон мобильный", str(order.contact_phone)), ("Почта", order.contact_email)):
            if value:
                contact = _sub(contacts, "Контакт")
                _sub(contact, "Тип", kind)
                _sub(contact, "Значение", value)
        _sub(document, "Время", created.strftime("%H:%M:%S"))
        if order.comment:
            _sub(document, "Комментарий", order.comment)
        lines = list(order.lines.all())
        rates = {line.pk: _line_vat_rate(line) for line in lines}
        vat_total = sum((vat_amount(amount=line.line_total, rate=rates[line.pk]) for line in lines), ZERO)
        if any(rate not in ("", VatRate.NONE) for rate in rates.values()):
            _tax(document, vat_total)
        goods = _sub(document, "Товары")
        for line in lines:
            item = _sub(goods, "Товар")
            _sub(item, "Ид", external.get(str(line.variant_id), line.sku))
            _sub(item, "Артикул", line.sku)
            _sub(
                item,
                "Наименование",
                f"{line.product_name} ({line.variant_name})" if line.variant_name else line.product_name,
            )
            _unit(item, line)
            rate = rates[line.pk]
            if rate:
                tax_rate = _sub(_sub(item, "СтавкиНалогов"), "СтавкаНалога")
                _sub(tax_rate, "Наименование", VAT_NAME)
                _sub(tax_rate, "Ставка", vat_rate_text(rate))
            _sub(item, "ЦенаЗаЕдиницу", _money(line.unit_price))
            _sub(item, "Количество", line.quantity)
            _sub(item, "Сумма", _money(line.line_total))
            if rate not in ("", VatRate.NONE):
                _tax(item, vat_amount(amount=line.line_total, rate=rate))
            if line.discount:
                # Скидка акции на строку (commerce.promotions): Сумма уже с ней — УчтеноВСумме,
                # поэтому ЦенаЗаЕдиницу × Количество − Скидка = Сумма сходится в 1С до копейки.
                discount = _sub(_sub(item, "Скидки"), "Скидка")
                _sub(discount, "Наименование", "Скидка по акции")
                _sub(discount, "Сумма", _money(line.discount))
                _sub(discount, "УчтеноВСумме", "true")
            requisites = _sub(item, "ЗначенияРеквизитов")
            _requisite(requisites, "ВидНоменклатуры", "Товар")
            _requisite(requisites, "ТипНоменклатуры", "Товар")
        if order.delivery_cost:
            item = _sub(goods, "Товар")
            _sub(item, "Ид", DELIVERY_ID)
            _sub(item, "Наименование", "Доставка заказа")
            _sub(item, "ЦенаЗаЕдиницу", _money(order.delivery_cost))
            _sub(item, "Количество", "1")
            _sub(item, "Сумма", _money(order.delivery_cost))
            requisites = _sub(item, "ЗначенияРеквизитов")
            _requisite(requisites, "ВидНоменклатуры", "Услуга")
            _requisite(requisites, "ТипНоменклатуры", "Услуга")
        requisites = _sub(document, "ЗначенияРеквизитов")
        _requisite(requisites, "Метод оплаты", order.get_payment_method_display())
        _requisite(requisites, "Заказ оплачен", "true" if order.paid_at else "false")
        _requisite(requisites, "Способ доставки", order.get_delivery_method_display())
        _requisite(requisites, "Отменен", "true" if order.status == OrderStatus.CANCELLED else "false")
        _requisite(requisites, "Статус заказа", order.get_status_display())
        _requisite(
            requisites, "Дата изменения статуса", timezone.localtime(order.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        )
    codec = "windows-1251" if encoding == "windows-1251" else "UTF-8"
    return ET.tostring(root, encoding=codec, xml_declaration=True)


def orders_query(*, session, encoding="utf-8"):
    """Ответ на mode=query: документ с ожидающими заказами; запомнить их версии в сессии."""
    orders = orders_pending(connection=session.connection)
    session.sent_orders = {str(order.pk): order.updated_at.isoformat() for order in orders}
    session.save(update_fields=["sent_orders", "last_seen_at"])
    return orders_document(connection=session.connection, orders=orders, encoding=encoding), len(orders)


@transaction.atomic
def orders_confirm(*, session):
    """Ответ на mode=success: отметить выгруженными ровно те версии заказов, что отдал query."""
    count = 0
    for order_id, version in (session.sent_orders or {}).items():
        OrderExport.objects.update_or_create(
            connection=session.connection,
            order_id=int(order_id),
            defaults={"order_updated_at": parse_datetime(version)},
        )
        count += 1
    session.sent_orders = {}
    session.save(update_fields=["sent_orders", "last_seen_at"])
    return count


# --- изменения заказов из 1С ----------------------------------------------------------------------


def _status_path(from_status, to_status):
    """Кратчайшая цепочка разрешённых переходов from → to (без from) или None."""
    queue, seen = deque([(from_status, [])]), {from_status}
    while queue:
        status, path = queue.popleft()
        if status == to_status:
            return path
        for following in TRANSITIONS.get(status, ()):
            if following not in seen:
                seen.add(following)
                queue.append((following, [*path, following]))
    return None


def _target_status(requisites, statuses):
    """Статус, который 1С хочет у заказа, по реквизитам документа (или None)."""
    if flag(requisites.get("отменен", "")) or flag(requisites.get("пометкаудаления", "")):
        return OrderStatus.CANCELLED
    raw = requisites.get("статус заказа", "") or requisites.get("статус", "")
    if raw:
        mapped = statuses.get(raw) or next(
            (value for key, value in statuses.items() if key.casefold() == raw.casefold()), None
        )
        if mapped in OrderStatus.values:
            return OrderStatus(mapped)
        for choice in OrderStatus:
            if raw.casefold() in (choice.value, str(choice.label).casefold()):
                return choice
    if requisites.get("номер отгрузки по 1с") or requisites.get("дата отгрузки по 1с"):
        return OrderStatus.SHIPPED
    return None


def documents_apply(*, connection, run, path, folder):
    """Применить документы заказов из файла 1С: оплату, отгрузку, статус — через сервисы заказов.

    Каждый документ — своя транзакция: ошибка одного заказа (неизвестный номер, запрещённый
    переход) записывается в журнал и не мешает остальным.
    """
    statuses = (connection.options or {}).get("statuses", {})
    reader = CommerceMLReader(path, folder=folder)
    for kind, element in reader.events():
        if kind != "document":
            continue
        number = text(element, "Номер") or text(element, "Ид")
        requisites = {}
        block = child(element, "ЗначенияРеквизитов")
        if block is not None:
            for item in children(block, "ЗначениеРеквизита"):
                requisites[text(item, "Наименование").casefold()] = text(item, "Значение")
        goods = _goods(element)
        element.clear()
        order = Order.objects.filter(number=number).first()
        if order is None:
            run.skipped += 1
            run.error_add(obj=number, message=_("Заказа с таким номером на сайте нет."))
            continue
        try:
            changed = _document_apply(
                connection=connection, order=order, requisites=requisites, statuses=statuses, goods=goods
            )
        except APIException as error:
            # Запрещённый переход, нехватка остатка, неверная строка: документ откатился целиком.
            run.error_add(obj=number, message=str(error.detail))
            continue
        if changed:
            run.updated += 1
        else:
            run.unchanged += 1


@transaction.atomic
def _document_apply(*, connection, order, requisites, statuses, goods=None):
    changed = False
    paid = flag(requisites.get("заказ оплачен", "")) or bool(requisites.get("дата оплаты по 1с"))
    target = _target_status(requisites, statuses)
    payment_number = requisites.get("номер оплаты по 1с", "")
    comment = _("%(author)s: изменение из обмена") % {"author": AUTHOR}
    order = Order.objects.select_for_update().get(pk=order.pk)
    if goods is not None and target != OrderStatus.CANCELLED:
        # Состав — раньше оплаты и статуса: после отгрузки строки уже не меняются.
        lines, delivery_cost = _lines_wanted(connection=connection, order=order, goods=goods)
        order, record = line_edits.order_lines_update(
            order=order,
            lines=lines,
            delivery_cost=delivery_cost,
            comment=_("%(author)s: состав заказа изменён") % {"author": AUTHOR},
        )
        changed = record is not None
    if paid and order.paid_at is None and target != OrderStatus.CANCELLED:
        path = _status_path(order.status, OrderStatus.PAID) or []
        for status in path[:-1]:
            order = order_services.order_status_change(order=order, to_status=status, comment=comment)
        order = order_services.order_mark_paid(
            order=order, payment_reference=f"{AUTHOR} {payment_number}".strip(), comment=comment
        )
        changed = True
    if target is not None and target != order.status:
        path = _status_path(order.status, target)
        if path is None:
            raise OrderTransitionNotAllowed(
                _("Нельзя перевести заказ из статуса «%(from)s» в «%(to)s».")
                % {"from": OrderStatus(order.status).label, "to": OrderStatus(target).label}
            )
        for status in path:
            if status == OrderStatus.PAID:
                order = order_services.order_mark_paid(
                    order=order, payment_reference=f"{AUTHOR} {payment_number}".strip(), comment=comment
                )
            else:
                order = order_services.order_status_change(order=order, to_status=status, comment=comment)
        changed = True
    return changed


# --- строки заказа из 1С ------------------------------------------------------------------------


class OrderLineNotFound(APIException):
    """Товар строки документа 1С не найден ни по Ид, ни по артикулу (документ не применяется)."""

    status_code = 400
    default_code = "onec_order_line_not_found"


def _goods(element):
    """Строки «Товары/Товар» документа как словари; None — блока «Товары» в документе нет."""
    block = child(element, "Товары")
    if block is None:
        return None
    goods = []
    for item in children(block, "Товар"):
        requisites = {}
        holder = child(item, "ЗначенияРеквизитов")
        if holder is not None:
            for requisite in children(holder, "ЗначениеРеквизита"):
                requisites[text(requisite, "Наименование").casefold()] = text(requisite, "Значение")
        discounts = child(item, "Скидки")
        discount = None
        if discounts is not None:
            discount = sum(
                (decimal(text(entry, "Сумма")) or Decimal(0) for entry in children(discounts, "Скидка")), Decimal(0)
            )
        goods.append(
            {
                "id": text(item, "Ид"),
                "sku": text(item, "Артикул"),
                "name": text(item, "Наименование"),
                "quantity": decimal(text(item, "Количество")),
                "price": decimal(text(item, "ЦенаЗаЕдиницу")) if text(item, "ЦенаЗаЕдиницу") else None,
                "sum": decimal(text(item, "Сумма")) if text(item, "Сумма") else None,
                "discount": discount,
                "service": requisites.get("типноменклатуры", "").casefold() == "услуга",
            }
        )
    return goods


def _lines_wanted(*, connection, order, goods):
    """Перевести строки документа 1С в состав заказа (LineWanted) и стоимость доставки (или None)."""
    delivery_cost = None
    ids = {item["id"] for item in goods if item["id"]}
    mapped = dict(
        ExternalId.objects.filter(connection=connection, kind=ExternalKind.VARIANT, external_id__in=ids).values_list(
            "external_id", "object_id"
        )
    )
    codes = {item["sku"] for item in goods if item["sku"]} | ids
    variants = {variant.pk: variant for variant in Variant.objects.filter(pk__in=[int(pk) for pk in mapped.values()])}
    by_sku = {variant.sku: variant for variant in Variant.objects.filter(sku__in=codes)}
    orphan_skus = set(order.lines.filter(variant__isnull=True).values_list("sku", flat=True))
    lines = []
    for item in goods:
        if item["id"] == DELIVERY_ID:
            delivery_cost = item["sum"] if item["sum"] is not None else item["price"]
            continue
        quantity = item["quantity"]
        label = item["sku"] or item["id"]
        if quantity is None or quantity != quantity.to_integral_value():
            raise OrderLineInvalid(
                _("Количество товара %(sku)s из 1С — не целое число штук: «%(quantity)s».")
                % {"sku": label, "quantity": quantity if quantity is not None else ""}
            )
        variant = variants.get(int(mapped[item["id"]])) if item["id"] in mapped else None
        variant = variant or by_sku.get(item["sku"]) or by_sku.get(item["id"])
        if variant is None and item["service"]:
            continue  # услуги 1С (кроме доставки) в заказ сайта не входят
        if variant is None:
            orphan = item["sku"] if item["sku"] in orphan_skus else item["id"] if item["id"] in orphan_skus else None
            if orphan is None:
                raise OrderLineNotFound(
                    _("Товар Ид «%(id)s» (%(name)s) из 1С не найден на сайте: загрузите каталог.")
                    % {"id": item["id"], "name": item["name"] or label}
                )
            lines.append(line_edits.LineWanted(sku=orphan, quantity=int(quantity), unit_price=item["price"]))
            continue
        lines.append(
            line_edits.LineWanted(
                variant=variant, quantity=int(quantity), unit_price=item["price"], discount=_line_discount(item)
            )
        )
    return lines, delivery_cost


def _line_discount(item):
    """Скидка строки из 1С: элемент «Скидки» или разница цены × количества и «Суммы» строки."""
    if item["discount"] is not None:
        return item["discount"]
    if item["price"] is None or item["sum"] is None:
        return None
    gross = item["price"] * item["quantity"]
    return gross - item["sum"] if item["sum"] < gross else Decimal(0)
