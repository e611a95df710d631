"""Покупатели магазина — контакты amoCRM (события ``customer.created`` и ``customer.changed``).

Контакт ищется по сопоставлению ядра (ExternalId вида «покупатель»), затем по телефону или
e-mail (его мог завести менеджер или прежняя сделка), и только потом создаётся — повтор
доставки не плодит дубли. При изменении имя перезаписывается, а телефон и e-mail только
дописываются к уже записанным: номера, которые менеджер добавил сам, не теряются.
Покупатель без телефона и e-mail контактом не становится: звонить и писать ему некуда.
"""

import logging

from commerce.orders.selectors import phone_normalize
from integrations.amocrm import mapping
from integrations.core.http import HttpError
from integrations.core.models import ExternalKind
from integrations.core.sync import external_id_for_object, external_id_forget, external_id_set

logger = logging.getLogger(__name__)


def _name(payload):
    return " ".join(part for part in (payload.get("first_name"), payload.get("last_name")) if part).strip()


def _fields_merged(contact, *, phone, email):
    """custom_fields_values для PATCH: прежние телефоны и e-mail плюс наши, если их ещё нет."""
    result = []
    for code, value, same in (
        ("PHONE", phone, lambda existing: phone_normalize(existing) == phone),
        ("EMAIL", email, lambda existing: existing.strip().lower() == (email or "").lower()),
    ):
        existing = mapping.contact_values(contact, code)
        if not value or any(same(item) for item in existing):
            continue
        values = [{"value": item} for item in existing] + [{"value": value, "enum_code": "WORK"}]
        result.append({"field_code": code, "values": values})
    return result


def _contact_get(*, api, contact_id):
    """Контакт amoCRM по id или None, если его удалили."""
    try:
        return api.get(f"/api/v4/contacts/{contact_id}")
    except HttpError as error:
        if error.status == 404:
            return None
        raise


def customer_deliver(*, api, connection, event, contact_find):
    """Создать или обновить контакт покупателя; вернуть id контакта или None (нечего передавать).

    Args:
        contact_find: поиск контакта по телефону и e-mail (outbound.contact_find — один на коннектор).
    """
    payload = event.payload or {}
    phone = phone_normalize(payload["phone"]) if payload.get("phone") else None
    email = (payload.get("email") or "").strip()
    if not phone and not email:
        logger.info("amoCRM %s: покупатель %s без телефона и e-mail — не передаётся", connection.code, event.object_id)
        return None
    name = _name(payload)
    known = external_id_for_object(connection=connection, kind=ExternalKind.CUSTOMER, object_id=event.object_id)
    contact = _contact_get(api=api, contact_id=int(known)) if known else None
    if contact is None:
        # Сопоставления нет или контакт удалили в amoCRM: ищем по телефону и e-mail заново.
        if known:
            external_id_forget(connection=connection, kind=ExternalKind.CUSTOMER, object_id=event.object_id)
        known = None
        contact_id = contact_find(api=api, phone=phone, email=email)
        contact = _contact_get(api=api, contact_id=contact_id) if contact_id else None
    if contact is None:
        document = {**mapping.contact_document(name=name, phone=phone, email=email), "request_id": str(event.uuid)}
        (created,) = api.embedded(api.post("/api/v4/contacts", [document]), "contacts")
        contact_id = int(created["id"])
        logger.info("amoCRM %s: покупатель %s → новый контакт %s", connection.code, event.object_id, contact_id)
    else:
        contact_id = int(contact["id"])
        changes = {}
        if name and contact.get("name") != name:
            changes["name"] = name
        fields = _fields_merged(contact, phone=phone, email=email)
        if fields:
            changes["custom_fields_values"] = fields
        if changes:
            api.patch(f"/api/v4/contacts/{contact_id}", changes)
    if not known:
        external_id_set(
            connection=connection, kind=ExternalKind.CUSTOMER, external_id=contact_id, object_id=event.object_id
        )
    return contact_id
