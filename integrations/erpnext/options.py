"""Настройки подключения ERPNext: JSON Schema и приведение к одному виду.

Сопоставления задаются объектом (``"price_list_map": {"Розница": "base"}``) или плоскими ключами
(``--set price_list_map.Розница=base`` в командной строке). Код коннектора читает настройки
только через :func:`options_get`.
"""

from commerce.orders.status import OrderStatus

MAPS = ("price_list_map", "warehouse_map", "status_map")
# Что из Bin считается нашим остатком: свободный (actual − reserved), фактический или прогноз.
STOCK_QUANTITIES = ("available", "actual", "projected")
DEFAULT_PAGE_SIZE = 100

_NAME = {"type": "string", "minLength": 1, "maxLength": 140}
# Числа из командной строки (--set delivery_days=5) приходят строкой цифр.
_DIGITS = {"type": "string", "pattern": r"^[0-9]{1,3}$"}
_STATUSES = [status.value for status in OrderStatus]

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # API Key пользователя API (не секрет: секрет — api_secret, он хранится зашифрованным).
        "api_key": {"type": "string", "minLength": 1, "maxLength": 140},
        # Организация (Company) заказов покупателя в ERPNext — обязательна для Sales Order.
        "company": _NAME,
        # Шаблон налогов (Sales Taxes and Charges Template) заказов; пусто — налоги по умолчанию ERPNext.
        "taxes_template": _NAME,
        # Группа и территория новых покупателей (Customer Group, Territory).
        "customer_group": _NAME,
        "territory": _NAME,
        # Услуга (Item) для стоимости доставки отдельной строкой заказа.
        "delivery_item": _NAME,
        # Срок поставки в днях от даты заказа (delivery_date обязательна в ERPNext).
        "delivery_days": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 365}, _DIGITS]},
        # Проводить заказ сразу (docstatus 1) или оставлять черновиком.
        "submit_orders": {"type": "boolean"},
        # {Price List ERPNext: код нашего прайс-листа} — загружаются только сопоставленные.
        "price_list_map": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
        # {Warehouse ERPNext: код нашего склада} — остатки только сопоставленных складов.
        "warehouse_map": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
        # {статус Sales Order (или «Delivery Note:<статус>»): наш статус заказа}.
        "status_map": {"type": "object", "additionalProperties": {"enum": _STATUSES}},
        "stock_quantity": {"enum": list(STOCK_QUANTITIES)},
        "page_size": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 1000}, _DIGITS]},
        # Полная загрузка снимает с продажи товары, которых в ERPNext больше нет.
        "deactivate_missing": {"type": "boolean"},
        # Поля товара, которые правят на сайте и загрузка не перезаписывает.
        "keep": {"type": "array", "items": {"enum": ["name", "description", "images", "categories"]}},
    },
    "patternProperties": {
        r"^(price_list_map|warehouse_map)\..+$": {"type": "string", "minLength": 1},
        r"^status_map\..+$": {"enum": _STATUSES},
    },
}


def _int(value, default):
    if value in (None, ""):
        return default
    return int(value)


def _bool(value, default):
    if value in (None, ""):
        return default
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "да"}
    return bool(value)


def options_get(connection):
    """Настройки подключения одним видом: сопоставления — словари, числа — int, флаги — bool."""
    raw = connection.options or {}
    result = {key: value for key, value in raw.items() if "." not in key}
    for group in MAPS:
        merged = dict(raw.get(group) or {})
        prefix = group + "."
        merged.update({key[len(prefix) :]: value for key, value in raw.items() if key.startswith(prefix)})
        result[group] = merged
    result["delivery_days"] = _int(raw.get("delivery_days"), 3)
    result["page_size"] = _int(raw.get("page_size"), DEFAULT_PAGE_SIZE)
    result["submit_orders"] = _bool(raw.get("submit_orders"), True)
    result["deactivate_missing"] = _bool(raw.get("deactivate_missing"), False)
    result["stock_quantity"] = raw.get("stock_quantity") or "available"
    result["keep"] = list(raw.get("keep") or ())
    return result
