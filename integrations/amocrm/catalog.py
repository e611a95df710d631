"""Строки заказа — элементы списка «Товары» amoCRM, привязанные к сделке (API v4: catalogs, links).

Включается настройкой ``catalog_id`` (id списка «Товары»: он появляется в аккаунте, когда в
amoCRM включены товары; id показывает проверка подключения). Без неё строки заказа — только
заметкой, как раньше.

* Элемент списка — наш вариант (артикул): сопоставление вариант → элемент хранится в ядре
  (ExternalId вида «вариант»); без сопоставления элемент ищется по артикулу (его мог завести
  менеджер) и только потом создаётся — пачками до 50 (предел API).
* Привязка к сделке — ``POST /api/v4/leads/{id}/link`` с количеством; перед ней читаются уже
  привязанные элементы (``GET /api/v4/leads/{id}/links``), так что повтор доставки ничего не
  задваивает.
"""

import logging

from integrations.amocrm import mapping
from integrations.core.models import ExternalKind
from integrations.core.sync import external_id_for_object, external_id_set

logger = logging.getLogger(__name__)

BATCH = 50  # amoCRM принимает не больше 50 сущностей за запрос
CATALOG_ELEMENTS = "catalog_elements"


def _chunks(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def element_document(line):
    """Элемент списка «Товары» для строки заказа: название, артикул (SKU) и цена (PRICE)."""
    title = line.product_name + (f" ({line.variant_name})" if line.variant_name else "")
    return {
        "name": title[:255],
        "custom_fields_values": [
            {"field_code": "SKU", "values": [{"value": line.sku}]},
            {"field_code": "PRICE", "values": [{"value": mapping.money_to_price(line.unit_price)}]},
        ],
    }


def element_find_by_sku(*, api, catalog_id, sku):
    """Найти элемент списка по артикулу (поиск amoCRM по подстроке, затем точное сравнение поля SKU)."""
    found = api.embedded(
        api.get(f"/api/v4/catalogs/{catalog_id}/elements", params={"query": sku, "limit": 50}), "elements"
    )
    for element in found:
        if sku in mapping.contact_values(element, "SKU"):
            return int(element["id"])
    return None


def elements_ensure(*, api, connection, catalog_id, lines):
    """Вернуть {артикул: id элемента} для строк заказа, создав недостающие элементы пачками.

    Raises:
        HttpError: amoCRM не ответил (доставка повторится; созданное найдётся по артикулу).
    """
    elements, missing = {}, {}
    for line in lines:
        if line.sku in elements or line.sku in missing:
            continue
        known = None
        if line.variant_id:
            known = external_id_for_object(connection=connection, kind=ExternalKind.VARIANT, object_id=line.variant_id)
        element_id = int(known) if known else element_find_by_sku(api=api, catalog_id=catalog_id, sku=line.sku)
        if element_id is None:
            missing[line.sku] = line
            continue
        elements[line.sku] = element_id
        if line.variant_id and not known:
            external_id_set(
                connection=connection, kind=ExternalKind.VARIANT, external_id=element_id, object_id=line.variant_id
            )
    for batch in _chunks(list(missing.values())):
        documents = [{**element_document(line), "request_id": line.sku} for line in batch]
        created = api.embedded(api.post(f"/api/v4/catalogs/{catalog_id}/elements", documents), "elements")
        # amoCRM отвечает в порядке запроса; request_id — на случай, если порядок иной.
        by_request = {str(item.get("request_id")): item for item in created if item.get("request_id") is not None}
        for index, line in enumerate(batch):
            item = by_request.get(line.sku) or created[index]
            elements[line.sku] = int(item["id"])
            if line.variant_id:
                external_id_set(
                    connection=connection,
                    kind=ExternalKind.VARIANT,
                    external_id=item["id"],
                    object_id=line.variant_id,
                )
    return elements


def lead_elements_linked(*, api, lead_id):
    """Id элементов списков, уже привязанных к сделке."""
    links = api.embedded(api.get(f"/api/v4/leads/{lead_id}/links"), "links")
    return {int(link["to_entity_id"]) for link in links if link.get("to_entity_type") == CATALOG_ELEMENTS}


def lead_lines_link(*, api, connection, catalog_id, lead_id, lines):
    """Привязать строки заказа к сделке элементами списка «Товары» с количеством (один раз).

    Returns:
        int — сколько элементов привязано сейчас (0 — всё уже было привязано).
    """
    elements = elements_ensure(api=api, connection=connection, catalog_id=catalog_id, lines=lines)
    quantities = {}
    for line in lines:
        element_id = elements[line.sku]
        quantities[element_id] = quantities.get(element_id, 0) + line.quantity
    already = lead_elements_linked(api=api, lead_id=lead_id)
    links = [
        {
            "to_entity_id": element_id,
            "to_entity_type": CATALOG_ELEMENTS,
            "metadata": {"quantity": quantity, "catalog_id": catalog_id},
        }
        for element_id, quantity in quantities.items()
        if element_id not in already
    ]
    for batch in _chunks(links):
        api.post(f"/api/v4/leads/{lead_id}/link", batch)
    if links:
        logger.info("amoCRM %s: к сделке %s привязано товаров: %s", connection.code, lead_id, len(links))
    return len(links)
