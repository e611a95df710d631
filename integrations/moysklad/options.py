"""Настройки подключения МоегоСклада: JSON Schema и приведение к одному виду.

Сопоставления задаются объектами (в админке: ``"price_types": {"Цена продажи": "base"}``) или
плоскими ключами (в командной строке: ``--set price_types.Цена продажи=base``). Ключ
сопоставления — id (UUID) сущности МоегоСклада или её название. Код коннектора читает
настройки только через :func:`options_get`.
"""

from commerce.orders.status import OrderStatus

DEFAULT_BASE_URL = "https://api.moysklad.ru/api/remap/1.2"
MAPPINGS = ("price_types", "stores", "status_map")

_UUID = {"type": "string", "pattern": r"^[0-9a-fA-F-]{36}$"}
_CODE = {"type": "string", "minLength": 1, "maxLength": 60}
_STATUS = {"enum": [status.value for status in OrderStatus]}

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # Юрлицо (organization), от которого создаются заказы покупателей, и склад отгрузки.
        "organization": _UUID,
        "store": _UUID,
        # Тип цен МоегоСклада (id или название) → код нашего прайс-листа.
        "price_types": {"type": "object", "additionalProperties": _CODE},
        # Склад МоегоСклада (id или название) → код нашего склада.
        "stores": {"type": "object", "additionalProperties": _CODE},
        # Статус заказа МоегоСклада (id или название) → наш статус.
        "status_map": {"type": "object", "additionalProperties": _STATUS},
        # Резервировать товар в заказе МоегоСклада (reserve у позиций).
        "reserve": {"type": "boolean"},
        # НДС позиций заказа, %: не задан — МойСклад берёт ставку из карточки товара.
        "vat": {
            "anyOf": [{"type": "integer", "minimum": 0, "maximum": 30}, {"type": "string", "pattern": r"^[0-9]{1,2}$"}]
        },
        # Услуга МоегоСклада (id), которой в заказ попадает доставка.
        "delivery_service": _UUID,
        # Создавать входящий платёж (paymentin) при оплате заказа в магазине.
        "payments": {"type": "boolean"},
        # Загружать картинки товаров (скачиваются один раз, повтор — по id картинки).
        "images": {"type": "boolean"},
        # Поля товара, которые загрузка не перезаписывает (их правят на сайте).
        "keep": {"type": "array", "items": {"enum": ["name", "description", "images", "categories"]}},
    },
    "patternProperties": {
        r"^price_types\..+$": _CODE,
        r"^stores\..+$": _CODE,
        r"^status_map\..+$": _STATUS,
    },
}


def options_get(connection):
    """Настройки подключения одним видом: сопоставления — словари, флаги — со значениями по умолчанию."""
    raw = connection.options or {}
    result = {key: value for key, value in raw.items() if "." not in key}
    for group in MAPPINGS:
        merged = dict(raw.get(group) or {})
        prefix = group + "."
        merged.update({key[len(prefix) :]: value for key, value in raw.items() if key.startswith(prefix)})
        result[group] = merged
    result.setdefault("reserve", True)
    result.setdefault("payments", True)
    result.setdefault("images", True)
    result.setdefault("keep", [])
    if result.get("vat") not in (None, ""):
        result["vat"] = int(result["vat"])
    return result
