"""Доставка событий магазина в amoCRM: заказ — сделка с контактом, смена статуса — этап и заметка.

Каждая функция выдерживает повтор доставки (outbox доставляет «хотя бы раз»): сделка ищется
по сопоставлению ядра, а если ответ amoCRM потерялся — по номеру заказа; заметка не
добавляется второй раз, если такая уже есть у сделки.
"""

import logging

from django.utils.translation import gettext as _

from commerce.orders.selectors import phone_normalize
from integrations.amocrm import catalog, customers, mapping
from integrations.amocrm.options import options_get
from integrations.amocrm.selectors import order_admin_url, order_for_lead
from integrations.core.models import ExternalKind
from integrations.core.registry import DeliveryError
from integrations.core.sync import external_id_for_object, external_id_set

logger = logging.getLogger(__name__)


def _options(connection):
    return options_get(connection)


def contact_find(*, api, phone, email):
    """Найти контакт amoCRM по телефону (в любой записи) или e-mail; вернуть id или None."""
    for query in (mapping.phone_search_query(phone) if phone else "", email or ""):
        if not query:
            continue
        found = api.embedded(api.get("/api/v4/contacts", params={"query": query, "limit": 50}), "contacts")
        for contact in found:
            if mapping.contact_matches(contact, phone=phone, email=email):
                return int(contact["id"])
    return None


def _lead_find_by_number(*, api, connection, number):
    """Найти сделку заказа по номеру (ответ на создание мог потеряться) — по названию или полю номера."""
    field_id = (_options(connection).get("field_map") or {}).get("order_number")
    found = api.embedded(api.get("/api/v4/leads", params={"query": number, "limit": 50}), "leads")
    for lead in found:
        if lead.get("name") == mapping.lead_name(number):
            return int(lead["id"])
        for field in lead.get("custom_fields_values") or ():
            values = [str(item.get("value")) for item in field.get("values") or ()]
            if field_id and int(field.get("field_id") or 0) == int(field_id) and number in values:
                return int(lead["id"])
    return None


def _lead_document(*, connection, order):
    options = _options(connection)
    stage = mapping.stage_for_status(options, order.status) or options.get("stage_id")
    document = {
        "name": mapping.lead_name(order.number),
        "price": mapping.money_to_price(order.total),
        "_embedded": {"tags": [{"name": tag} for tag in options.get("tags", ["сайт"])]},
    }
    if options.get("pipeline_id"):
        document["pipeline_id"] = int(options["pipeline_id"])
    if stage:
        document["status_id"] = int(stage)
    if options.get("responsible_user_id"):
        document["responsible_user_id"] = int(options["responsible_user_id"])
    fields = mapping.custom_fields(
        options.get("field_map"),
        {
            "order_number": order.number,
            "region": order.region.name,
            "delivery_method": order.get_delivery_method_display(),
            "payment_status": mapping.payment_status_text(order),
            "admin_url": order_admin_url(order),
        },
    )
    if fields:
        document["custom_fields_values"] = fields
    return document


def note_add_once(*, api, lead_id, text, check_existing):
    """Добавить заметку к сделке; при ``check_existing`` не добавлять, если такая уже есть."""
    if check_existing:
        notes = api.embedded(
            api.get(f"/api/v4/leads/{lead_id}/notes", params={"filter[note_type]": "common", "limit": 250}), "notes"
        )
        if any((note.get("params") or {}).get("text") == text for note in notes):
            return False
    api.post("/api/v4/leads/notes", [{"entity_id": lead_id, "note_type": "common", "params": {"text": text}}])
    return True


def order_created_deliver(*, api, connection, event, idempotency_key):
    """Создать сделку заказа (один раз) с контактом покупателя и заметкой о составе заказа."""
    order = order_for_lead(order_id=event.object_id)
    if order is None:
        raise DeliveryError(_("Заказ %(id)s не найден.") % {"id": event.object_id}, permanent=True)
    lines = list(order.lines.all())
    text = mapping.lines_note_text(order, lines)
    lead_id = external_id_for_object(connection=connection, kind=ExternalKind.ORDER, object_id=order.pk)
    if lead_id is None:
        lead_id = _lead_find_by_number(api=api, connection=connection, number=order.number)
        if lead_id is not None:
            external_id_set(connection=connection, kind=ExternalKind.ORDER, external_id=lead_id, object_id=order.pk)
    if lead_id is not None:
        # Повтор: сделка уже есть — дописать заметку и товары, если прошлый раз до них не дошёл.
        note_add_once(api=api, lead_id=int(lead_id), text=text, check_existing=True)
        _lines_link(api=api, connection=connection, lead_id=int(lead_id), lines=lines)
        return int(lead_id)

    phone = phone_normalize(order.contact_phone) if order.contact_phone else None
    email = order.contact_email or ""
    if order.user_id:
        # Контакт покупателя с аккаунтом — тем же путём и под той же блокировкой, что события
        # customer.*: иначе параллельная доставка регистрации и заказа завела бы два контакта.
        contact_id = customers.customer_contact_ensure(
            api=api,
            connection=connection,
            user_id=order.user_id,
            name=order.contact_name,
            phone=phone,
            email=email,
            request_id=f"{idempotency_key}-contact",
            contact_find=contact_find,
            update=False,
        )
    else:
        contact_id = contact_find(api=api, phone=phone, email=email)
    document = _lead_document(connection=connection, order=order)
    if contact_id is not None:
        document["_embedded"]["contacts"] = [{"id": contact_id}]
        created = api.embedded(api.post("/api/v4/leads", [{**document, "request_id": idempotency_key}]), "leads")
        lead_id = int(created[0]["id"])
    else:
        document["_embedded"]["contacts"] = [
            mapping.contact_document(name=order.contact_name, phone=phone, email=email)
        ]
        document["request_id"] = idempotency_key
        (created,) = api.post("/api/v4/leads/complex", [document])
        lead_id = int(created["id"])
    external_id_set(connection=connection, kind=ExternalKind.ORDER, external_id=lead_id, object_id=order.pk)
    note_add_once(api=api, lead_id=lead_id, text=text, check_existing=False)
    _lines_link(api=api, connection=connection, lead_id=lead_id, lines=lines)
    logger.info("amoCRM %s: заказ %s → сделка %s", connection.code, order.number, lead_id)
    return lead_id


def _lines_link(*, api, connection, lead_id, lines):
    """Строки заказа — товарами сделки, если задан список «Товары» (catalog_id); заметка остаётся в любом случае."""
    catalog_id = _options(connection).get("catalog_id")
    if catalog_id:
        catalog.lead_lines_link(api=api, connection=connection, catalog_id=catalog_id, lead_id=lead_id, lines=lines)


def order_status_deliver(*, api, connection, event):
    """Перевести сделку на этап, сопоставленный новому статусу, обновить поле оплаты и записать заметку."""
    payload = event.payload or {}
    lead_id = external_id_for_object(connection=connection, kind=ExternalKind.ORDER, object_id=event.object_id)
    if lead_id is None:
        # Порядок по объекту держит outbox: сюда попадаем, если создание сделки «умерло».
        raise DeliveryError(
            _("Сделка для заказа %(number)s ещё не создана: сначала повторите доставку создания заказа.")
            % {"number": payload.get("number", event.object_id)}
        )
    lead_id = int(lead_id)
    options = _options(connection)
    lead = api.get(f"/api/v4/leads/{lead_id}")
    changes = {}
    stage = mapping.stage_for_status(options, payload.get("status", ""))
    if stage and int(lead.get("status_id") or 0) != stage:
        changes["status_id"] = stage
        if options.get("pipeline_id"):
            changes["pipeline_id"] = int(options["pipeline_id"])
    payment_field = (options.get("field_map") or {}).get("payment_status")
    if payload.get("status") == "paid" and payment_field:
        changes["custom_fields_values"] = [{"field_id": int(payment_field), "values": [{"value": _("оплачен")}]}]
    if changes:
        api.patch(f"/api/v4/leads/{lead_id}", changes)
    text = mapping.status_note_text(
        number=payload.get("number", ""), from_status=payload.get("from_status", ""), to_status=payload["status"]
    )
    note_add_once(api=api, lead_id=lead_id, text=text, check_existing=True)
    return lead_id


def crm_request_deliver(*, api, connection, event, idempotency_key):
    """Создать заявку «перезвоните мне» в «Неразобранном» (amoCRM: /api/v4/leads/unsorted/forms)."""
    payload = event.payload or {}
    options = _options(connection)
    name = payload.get("name", "")
    lead = {"name": _("Заявка с сайта: %(name)s") % {"name": name}}
    if options.get("responsible_user_id"):
        lead["responsible_user_id"] = int(options["responsible_user_id"])
    document = {
        "source_name": options.get("source_name", _("Сайт магазина")),
        "source_uid": str(event.uuid),
        "created_at": int(event.created_at.timestamp()),
        "request_id": idempotency_key,
        "_embedded": {
            "leads": [lead],
            "contacts": [mapping.contact_document(name=name, phone=payload.get("phone", ""), email="")],
        },
        "metadata": {
            "form_id": "callback",
            "form_name": _("Перезвоните мне"),
            "form_page": payload.get("page") or "",
            "form_sent_at": int(event.created_at.timestamp()),
            "ip": payload.get("ip") or "",
            "referer": payload.get("referer") or "",
        },
    }
    if options.get("pipeline_id"):
        document["pipeline_id"] = int(options["pipeline_id"])
    answer = api.post("/api/v4/leads/unsorted/forms", [document])
    created = api.embedded(answer, "unsorted")
    leads = ((created[0].get("_embedded") or {}).get("leads") or []) if created else []
    if leads and (payload.get("comment") or payload.get("page")):
        text = _("Комментарий: %(comment)s\nСтраница: %(page)s") % {
            "comment": payload.get("comment") or "—",
            "page": payload.get("page") or "—",
        }
        note_add_once(api=api, lead_id=int(leads[0]["id"]), text=text, check_existing=False)
    logger.info("amoCRM %s: заявка %s принята в «Неразобранное»", connection.code, event.uuid)
    return created
