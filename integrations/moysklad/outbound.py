"""Заказы магазина — в МойСклад: заказ покупателя (customerorder), оплата (paymentin), отмена.

Outbox доставляет «хотя бы раз», поэтому каждая функция выдерживает повтор: заказ ищется по
сопоставлению ядра, а если ответ МоегоСклада потерялся (воркер упал после POST) — по
``externalCode`` (наш номер заказа), и второй заказ не создаётся. Так же — входящий платёж.
"""

import logging

from django.utils.translation import gettext as _

from commerce.orders.selectors import phone_normalize
from commerce.orders.status import OrderStatus
from integrations.core.models import ExternalId, ExternalKind
from integrations.core.registry import DeliveryError
from integrations.core.sync import external_id_for_object, external_id_set
from integrations.moysklad import mapping
from integrations.moysklad.options import options_get
from integrations.moysklad.selectors import order_for_push

logger = logging.getLogger(__name__)


def _first(document):
    rows = (document or {}).get("rows") or []
    return rows[0] if rows else None


def counterparty_find(*, api, phone, email):
    """Найти контрагента по телефону (в любой записи: «+7…», «8 (…)…») или e-mail; вернуть id или None."""
    for query in (mapping.phone_digits(phone), email):
        if not query:
            continue
        for row in (api.get("/entity/counterparty", params={"search": query, "limit": 100}) or {}).get("rows") or ():
            if phone and phone_normalize(row.get("phone") or "") == phone:
                return row["id"]
            if email and (row.get("email") or "").strip().lower() == email:
                return row["id"]
    return None


def counterparty_find_or_create(*, api, connection, order):
    """Вернуть id контрагента покупателя: по сопоставлению, по телефону или e-mail, иначе новый."""
    if order.user_id:
        known = external_id_for_object(connection=connection, kind=ExternalKind.CUSTOMER, object_id=order.user_id)
        if known:
            return known
    phone = phone_normalize(order.contact_phone) if order.contact_phone else ""
    email = (order.contact_email or "").strip().lower()
    counterparty_id = counterparty_find(api=api, phone=phone, email=email)
    if counterparty_id is None:
        document = {"name": order.contact_name or phone or email, "companyType": "individual"}
        if phone:
            document["phone"] = phone
        if email:
            document["email"] = email
        counterparty_id = api.post("/entity/counterparty", document)["id"]
    if order.user_id:
        external_id_set(
            connection=connection, kind=ExternalKind.CUSTOMER, external_id=counterparty_id, object_id=order.user_id
        )
    return counterparty_id


def _assortment_meta(*, api, connection, line):
    """Ссылка на товар или модификацию МоегоСклада для строки заказа; не из МоегоСклада — None."""
    if line.variant_id is None:
        return None
    external = external_id_for_object(connection=connection, kind=ExternalKind.VARIANT, object_id=line.variant_id)
    if external is None:
        return None
    # Вариант товара без модификаций носит id самого товара МоегоСклада.
    is_product = ExternalId.objects.filter(
        connection=connection, kind=ExternalKind.PRODUCT, external_id=external
    ).exists()
    return api.meta("product" if is_product else "variant", external)


def _state_meta(*, api, options, status):
    """Статус заказа МоегоСклада для нашего статуса (обратное сопоставление status_map по id статуса)."""
    for state, ours in options["status_map"].items():
        if ours == status and mapping.is_uuid(state):
            base = f"{api.client.base_url}/entity/customerorder/metadata"
            return {
                "meta": {
                    "href": f"{base}/states/{state}",
                    "metadataHref": base,
                    "type": "state",
                    "mediaType": "application/json",
                }
            }
    return None


def order_document(*, api, connection, order, counterparty_id):
    """Тело заказа покупателя: юрлицо, склад, контрагент, позиции в копейках, доставка услугой."""
    options = options_get(connection)
    positions, missing = [], []
    for line in order.lines.all():
        assortment = _assortment_meta(api=api, connection=connection, line=line)
        if assortment is None:
            missing.append(line.sku)
            continue
        position = {
            "quantity": line.quantity,
            "price": mapping.decimal_to_kopecks(line.unit_price),
            "discount": 0,
            "assortment": assortment,
        }
        if options.get("vat") is not None:
            position["vat"] = options["vat"]
        if options["reserve"]:
            position["reserve"] = line.quantity
        positions.append(position)
    if missing:
        raise DeliveryError(
            _("Товары %(skus)s не из МоегоСклада: заказ %(number)s не передан.")
            % {"skus": ", ".join(missing), "number": order.number},
            permanent=True,
        )
    description = [
        _("Заказ с сайта %(number)s.") % {"number": order.number},
        _("Покупатель: %(name)s, %(phone)s %(email)s")
        % {"name": order.contact_name, "phone": order.contact_phone, "email": order.contact_email},
        _("Доставка: %(method)s") % {"method": order.get_delivery_method_display()},
    ]
    if order.delivery_address:
        description.append(_("Адрес: %(address)s") % {"address": order.delivery_address})
    if order.comment:
        description.append(_("Комментарий: %(comment)s") % {"comment": order.comment})
    if order.delivery_cost:
        if options.get("delivery_service"):
            positions.append(
                {
                    "quantity": 1,
                    "price": mapping.decimal_to_kopecks(order.delivery_cost),
                    "discount": 0,
                    "assortment": api.meta("service", options["delivery_service"]),
                }
            )
        else:
            description.append(_("Стоимость доставки: %(cost)s") % {"cost": order.delivery_cost})
    document = {
        "name": order.number,
        "externalCode": order.number,
        "organization": api.meta("organization", options["organization"]),
        "agent": api.meta("counterparty", counterparty_id),
        "description": "\n".join(description),
        "positions": positions,
        "vatEnabled": options.get("vat") is not None or None,
    }
    document = {key: value for key, value in document.items() if value is not None}
    if options.get("store"):
        document["store"] = api.meta("store", options["store"])
    state = _state_meta(api=api, options=options, status=OrderStatus.NEW)
    if state:
        document["state"] = state
    return document


def _order_find(*, api, number):
    return _first(api.get("/entity/customerorder", params={"filter": f"externalCode={number}", "limit": 1}))


def order_created_deliver(*, api, connection, event):
    """Создать заказ покупателя в МоёмСкладе ровно один раз; вернуть его id."""
    order = order_for_push(order_id=event.object_id)
    if order is None:
        raise DeliveryError(_("Заказ %(id)s не найден.") % {"id": event.object_id}, permanent=True)
    options = options_get(connection)
    if not options.get("organization"):
        raise DeliveryError(_("В подключении не задано юрлицо (organization): заказы некуда создавать."))
    known = external_id_for_object(connection=connection, kind=ExternalKind.ORDER, object_id=order.pk)
    if known:
        return known
    existing = _order_find(api=api, number=order.number)
    if existing is None:
        counterparty_id = counterparty_find_or_create(api=api, connection=connection, order=order)
        document = order_document(api=api, connection=connection, order=order, counterparty_id=counterparty_id)
        existing = api.post("/entity/customerorder", document)
    external_id_set(connection=connection, kind=ExternalKind.ORDER, external_id=existing["id"], object_id=order.pk)
    logger.info("МойСклад %s: заказ %s → customerorder %s", connection.code, order.number, existing["id"])
    return existing["id"]


def _order_id_required(*, connection, event):
    ms_id = external_id_for_object(connection=connection, kind=ExternalKind.ORDER, object_id=event.object_id)
    if ms_id is None:
        raise DeliveryError(
            _("Заказ %(number)s ещё не создан в МоёмСкладе: сначала повторите доставку создания заказа.")
            % {"number": (event.payload or {}).get("number", event.object_id)}
        )
    return ms_id


def _state_set(*, api, options, ms_id, status, extra=None):
    """Поставить заказу МоегоСклада статус, сопоставленный нашему (если отличается), и доп. поля."""
    changes = dict(extra or {})
    state = _state_meta(api=api, options=options, status=status)
    if state:
        current = api.get(f"/entity/customerorder/{ms_id}") or {}
        if (current.get("state") or {}).get("meta", {}).get("href") != state["meta"]["href"]:
            changes["state"] = state
    if changes:
        api.put(f"/entity/customerorder/{ms_id}", changes)


def order_paid_deliver(*, api, connection, event):
    """Оплату в магазине — в МойСклад: входящий платёж по заказу (один раз) и статус «оплачен»."""
    ms_id = _order_id_required(connection=connection, event=event)
    options = options_get(connection)
    order = order_for_push(order_id=event.object_id)
    if options["payments"] and order is not None:
        code = f"{order.number}-pay"
        if _first(api.get("/entity/paymentin", params={"filter": f"externalCode={code}", "limit": 1})) is None:
            customer_order = api.get(f"/entity/customerorder/{ms_id}") or {}
            api.post(
                "/entity/paymentin",
                {
                    "name": code,
                    "externalCode": code,
                    "organization": api.meta("organization", options["organization"]),
                    "agent": customer_order.get("agent"),
                    "sum": mapping.decimal_to_kopecks(order.total),
                    "paymentPurpose": _("Оплата заказа %(number)s на сайте") % {"number": order.number},
                    "operations": [api.meta("customerorder", ms_id)],
                },
            )
    _state_set(api=api, options=options, ms_id=ms_id, status=OrderStatus.PAID)


def order_cancelled_deliver(*, api, connection, event):
    """Отмену в магазине — в МойСклад: статус «отменён» (если сопоставлен) и снять резерв (не проведён)."""
    ms_id = _order_id_required(connection=connection, event=event)
    options = options_get(connection)
    _state_set(api=api, options=options, ms_id=ms_id, status=OrderStatus.CANCELLED, extra={"applicable": False})
