"""Настройки подключения amoCRM: JSON Schema и приведение к одному виду.

Сопоставления задаются объектами (в админке: ``"stage_map": {"paid": 7039102}``) или плоскими
ключами (в командной строке: ``--set stage_map.paid=7039102``); id — числом или строкой цифр
(``--set`` передаёт строки). Код коннектора читает настройки только через :func:`options_get`.
"""

from commerce.orders.status import OrderStatus

# Наши поля заказа, которые можно сопоставить с дополнительными полями сделки (field_map).
LEAD_FIELDS = ("order_number", "region", "delivery_method", "payment_status", "admin_url")
ID_OPTIONS = ("account_id", "pipeline_id", "stage_id", "responsible_user_id", "catalog_id")

_ID = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": r"^[1-9][0-9]{0,18}$"}]}
_STATUSES = "|".join(status.value for status in OrderStatus)
_FIELDS = "|".join(LEAD_FIELDS)

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # OAuth: id интеграции и адрес перенаправления из её настроек в amoCRM.
        "client_id": {"type": "string", "maxLength": 100},
        "redirect_uri": {"type": "string", "maxLength": 500},
        # Поддомен аккаунта для проверки вебхуков; по умолчанию — из адреса (shop.amocrm.ru → shop).
        "subdomain": {"type": "string", "pattern": r"^[a-z0-9-]+$"},
        "account_id": _ID,
        "pipeline_id": _ID,
        # Этап новых сделок, если статус «новый» не сопоставлен в stage_map.
        "stage_id": _ID,
        # Наш статус заказа → id этапа воронки (142 — «успешно реализовано», 143 — «закрыто и не реализовано»).
        "stage_map": {
            "type": "object",
            "propertyNames": {"enum": [status.value for status in OrderStatus]},
            "additionalProperties": _ID,
        },
        # Наше поле сделки → id дополнительного поля amoCRM.
        "field_map": {"type": "object", "propertyNames": {"enum": list(LEAD_FIELDS)}, "additionalProperties": _ID},
        "responsible_user_id": _ID,
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 50}, "maxItems": 10},
        "source_name": {"type": "string", "maxLength": 100},
        # Id списка «Товары»: строки заказа — его элементами, привязанными к сделке; нет — только заметкой.
        "catalog_id": _ID,
        # Передавать покупателей контактами (customer.created/changed); по умолчанию да.
        "sync_customers": {"type": "boolean"},
    },
    "patternProperties": {
        rf"^stage_map\.({_STATUSES})$": _ID,
        rf"^field_map\.({_FIELDS})$": _ID,
    },
}


def options_get(connection):
    """Настройки подключения одним видом: id — int, stage_map и field_map — {ключ: int}."""
    raw = connection.options or {}
    result = {key: value for key, value in raw.items() if "." not in key}
    for name in ID_OPTIONS:
        if result.get(name) not in (None, ""):
            result[name] = int(result[name])
    for group in ("stage_map", "field_map"):
        merged = {key: int(value) for key, value in (raw.get(group) or {}).items() if value not in (None, "")}
        prefix = group + "."
        merged.update({key[len(prefix) :]: int(value) for key, value in raw.items() if key.startswith(prefix)})
        result[group] = merged
    return result
