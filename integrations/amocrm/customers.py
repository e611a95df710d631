"""Покупатели магазина — контакты amoCRM (события ``customer.created`` и ``customer.changed``).

Контакт ищется по сопоставлению ядра (ExternalId вида «покупатель»), затем по телефону или
e-mail (его мог завести менеджер или прежняя сделка), и только потом создаётся — повтор
доставки не плодит дубли. При изменении имя перезаписывается, а телефон и e-mail только
дописываются к уже записанным: номера, которые менеджер добавил сам, не теряются.
Покупатель без телефона и e-mail контактом не становится: звонить и писать ему некуда.
"""

import logging
import time
import uuid
from contextlib import contextmanager

from django.core.cache import cache
from django.utils.translation import gettext as _

from commerce.orders.selectors import phone_normalize
from integrations.amocrm import mapping
from integrations.core.http import HttpError
from integrations.core.models import ExternalKind
from integrations.core.registry import DeliveryError
from integrations.core.sync import external_id_for_object, external_id_forget, external_id_set

logger = logging.getLogger(__name__)

# Замок «контакт покупателя»: держится, пока идут поиск и создание контакта (несколько запросов).
CONTACT_LOCK_SECONDS = 60
CONTACT_LOCK_WAIT_SECONDS = 30


@contextmanager
def contact_lock(*, connection_id, user_id):
    """Не дать двум воркерам одновременно искать и заводить контакт одного покупателя.

    Замок — ключ в общем кэше (Redis; без Redis — один процесс и кэш в памяти), а не блокировка
    строки в транзакции: внутри идут запросы к amoCRM, которые сохраняют обновлённые токены, —
    откат транзакции при ошибке потерял бы одноразовый токен обновления.

    Raises:
        DeliveryError: замок не освободился за CONTACT_LOCK_WAIT_SECONDS (доставка повторится).
    """
    key = f"amocrm-contact-lock:{connection_id}:{user_id}"
    token = uuid.uuid4().hex
    deadline = time.monotonic() + CONTACT_LOCK_WAIT_SECONDS
    while not cache.add(key, token, timeout=CONTACT_LOCK_SECONDS):
        if time.monotonic() > deadline:
            raise DeliveryError(_("Контакт покупателя %(id)s сейчас заводит другой воркер.") % {"id": user_id})
        time.sleep(0.05)
    try:
        yield
    finally:
        if cache.get(key) == token:
            cache.delete(key)


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


def customer_contact_ensure(*, api, connection, user_id, name, phone, email, request_id, contact_find, update):
    """Найти или создать контакт покупателя ровно один раз и вернуть его id.

    Под замком :func:`contact_lock`: события ``customer.*`` и ``order.created`` одного
    покупателя доставляются разными воркерами одновременно (outbox упорядочивает только
    события одного объекта), и без замка оба не нашли бы контакт и создали бы по одному.
    Второй ждёт первого и видит уже записанное сопоставление.

    Args:
        update: дописать имя, телефон и e-mail в найденный контакт (событие покупателя);
            для заказа — нет: контактные данные заказа не меняют карточку покупателя.
    """
    with contact_lock(connection_id=connection.pk, user_id=user_id):
        known = external_id_for_object(connection=connection, kind=ExternalKind.CUSTOMER, object_id=user_id)
        contact = _contact_get(api=api, contact_id=int(known)) if known else None
        if contact is None:
            # Сопоставления нет или контакт удалили в amoCRM: ищем по телефону и e-mail заново.
            if known:
                external_id_forget(connection=connection, kind=ExternalKind.CUSTOMER, object_id=user_id)
            known = None
            contact_id = contact_find(api=api, phone=phone, email=email)
            contact = _contact_get(api=api, contact_id=contact_id) if contact_id else None
        if contact is None:
            document = {**mapping.contact_document(name=name, phone=phone, email=email), "request_id": request_id}
            (created,) = api.embedded(api.post("/api/v4/contacts", [document]), "contacts")
            contact_id = int(created["id"])
            logger.info("amoCRM %s: покупатель %s → новый контакт %s", connection.code, user_id, contact_id)
        else:
            contact_id = int(contact["id"])
            changes = {}
            if update and name and contact.get("name") != name:
                changes["name"] = name
            fields = _fields_merged(contact, phone=phone, email=email) if update else []
            if fields:
                changes["custom_fields_values"] = fields
            if changes:
                api.patch(f"/api/v4/contacts/{contact_id}", changes)
        if not known:
            external_id_set(
                connection=connection, kind=ExternalKind.CUSTOMER, external_id=contact_id, object_id=user_id
            )
    return contact_id


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
    return customer_contact_ensure(
        api=api,
        connection=connection,
        user_id=event.object_id,
        name=_name(payload),
        phone=phone,
        email=email,
        request_id=str(event.uuid),
        contact_find=contact_find,
        update=True,
    )
