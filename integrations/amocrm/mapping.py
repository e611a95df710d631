"""Перевод наших заказов и заявок в документы amoCRM API v4 и разбор вебхуков amoCRM.

Здесь нет запросов и записей: только чистые функции, которые легко проверить.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qsl, urlsplit

from django.utils.translation import gettext as _

from commerce.orders.selectors import phone_normalize
from commerce.orders.status import OrderStatus
from integrations.amocrm.options import LEAD_FIELDS

# Системные этапы каждой воронки amoCRM.
STATUS_WON = 142
STATUS_LOST = 143
# Начало заметки с составом заказа: по нему повторная доставка узнаёт, что заметка уже есть.
LINES_NOTE_PREFIX = "Состав заказа"

_KEY_PART = re.compile(r"\[([^\]]*)\]")


def lead_name(number):
    """Название сделки по номеру нашего заказа."""
    return _("Заказ %(number)s") % {"number": number}


def money_to_price(value):
    """Перевести сумму (Decimal) в бюджет сделки amoCRM — целые рубли, округление к ближайшему."""
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def custom_fields(field_map, values):
    """Собрать custom_fields_values из {наше поле: значение} по field_map {наше поле: id поля amoCRM}."""
    result = []
    for name in LEAD_FIELDS:
        field_id = (field_map or {}).get(name)
        value = values.get(name)
        if field_id and value not in (None, ""):
            result.append({"field_id": int(field_id), "values": [{"value": str(value)}]})
    return result


def contact_document(*, name, phone, email):
    """Документ нового контакта: имя, телефон (E.164) и e-mail в системных полях PHONE и EMAIL."""
    fields = []
    if phone:
        fields.append({"field_code": "PHONE", "values": [{"value": phone, "enum_code": "WORK"}]})
    if email:
        fields.append({"field_code": "EMAIL", "values": [{"value": email, "enum_code": "WORK"}]})
    document = {"name": name or phone or email}
    if fields:
        document["custom_fields_values"] = fields
    return document


def contact_values(contact, code):
    """Значения системного поля контакта (PHONE или EMAIL) из ответа amoCRM."""
    values = []
    for field in contact.get("custom_fields_values") or ():
        if field.get("field_code") == code:
            values.extend(str(item.get("value", "")) for item in field.get("values") or ())
    return values


def contact_matches(contact, *, phone, email):
    """Тот ли это контакт: телефон совпадает после приведения к E.164 или e-mail без учёта регистра."""
    if phone and any(phone_normalize(value) == phone for value in contact_values(contact, "PHONE")):
        return True
    if email:
        wanted = email.strip().lower()
        return any(value.strip().lower() == wanted for value in contact_values(contact, "EMAIL"))
    return False


def phone_search_query(phone):
    """Строка поиска контакта по телефону: последние 10 цифр, общие для +7..., 8... и 7... записей."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-10:]


def lines_note_text(order, lines):
    """Текст заметки с составом заказа: строки, доставка, итог, комментарий покупателя."""
    rows = [f"{LINES_NOTE_PREFIX} {order.number}:"]
    for line in lines:
        title = line.product_name + (f" ({line.variant_name})" if line.variant_name else "")
        # Скидка акции на строку (commerce.promotions) — явно: иначе «2 × 2500 = 4500» выглядит ошибкой.
        discount = _(", скидка %(discount)s") % {"discount": line.discount} if line.discount else ""
        rows.append(f"— {title}, арт. {line.sku}: {line.quantity} × {line.unit_price}{discount} = {line.line_total}")
    rows.append(
        _("Доставка: %(method)s, %(cost)s")
        % {"method": order.get_delivery_method_display(), "cost": order.delivery_cost}
    )
    if order.delivery_address:
        rows.append(_("Адрес: %(address)s") % {"address": order.delivery_address})
    rows.append(_("Оплата: %(method)s") % {"method": order.get_payment_method_display()})
    rows.append(_("Итого: %(total)s %(currency)s") % {"total": order.total, "currency": order.currency})
    if order.comment:
        rows.append(_("Комментарий покупателя: %(comment)s") % {"comment": order.comment})
    return "\n".join(rows)


def status_note_text(*, number, from_status, to_status):
    """Текст заметки о смене статуса заказа в магазине."""
    return _("Статус заказа %(number)s в магазине: «%(from)s» → «%(to)s».") % {
        "number": number,
        "from": OrderStatus(from_status).label if from_status else "—",
        "to": OrderStatus(to_status).label,
    }


def payment_status_text(order):
    """Состояние оплаты для поля сделки."""
    return _("оплачен") if order.paid_at else _("не оплачен")


def stage_for_status(options, status):
    """Этап воронки (status_id amoCRM) для нашего статуса заказа или None, если не сопоставлен."""
    value = (options.get("stage_map") or {}).get(status)
    return int(value) if value else None


def statuses_for_stage(options, status_id):
    """Наши статусы, сопоставленные этапу status_id (их может быть несколько), в порядке машины статусов."""
    mapped = {key for key, value in (options.get("stage_map") or {}).items() if value and int(value) == int(status_id)}
    return [status for status in OrderStatus if status in mapped]


def subdomain_from_url(base_url):
    """Поддомен аккаунта из адреса (https://shop.amocrm.ru → shop)."""
    host = urlsplit(base_url or "").hostname or ""
    return host.split(".", 1)[0] if "." in host and not host.replace(".", "").isdigit() else ""


def _assign(target, parts, value):
    """Положить значение по пути ключей PHP (leads, status, 0, id) во вложенные словари."""
    node = target
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if not isinstance(node, dict):
            return
        if last:
            node[part] = value
        else:
            node = node.setdefault(part, {})


def _lists(node):
    """Словари с ключами 0, 1, 2... превратить в списки (как их понимает PHP)."""
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def form_parse(body):
    """Разобрать тело вебхука amoCRM (x-www-form-urlencoded с ключами ``leads[status][0][id]``) во вложенный dict.

    Args:
        body: bytes или str.

    Returns:
        dict: {"leads": {"status": [{"id": "1", ...}]}, "account": {"subdomain": "shop", ...}}.
    """
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    result = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        head, _sep, rest = key.partition("[")
        parts = [head, *_KEY_PART.findall("[" + rest)] if rest else [head]
        if head:
            _assign(result, parts, value)
    return _lists(result)


def webhook_lead_ids(document):
    """Id сделок из вебхука: добавление, изменение, смена этапа и ответственного (без удалённых)."""
    leads = document.get("leads") if isinstance(document, dict) else None
    ids = []
    if not isinstance(leads, dict):
        return ids
    for action in ("add", "update", "status", "responsible", "restore"):
        items = leads.get(action)
        if isinstance(items, dict):
            items = list(items.values())
        for item in items or ():
            if isinstance(item, dict) and str(item.get("id", "")).isdigit() and int(item["id"]) not in ids:
                ids.append(int(item["id"]))
    return ids
