"""Изменения менеджера в amoCRM — обратно в магазин: этап сделки → статус заказа, ответственный.

Вебхукам amoCRM верить нельзя (они не подписаны), поэтому сделки всегда перечитываются из API,
и применяется то, что ответил API. Статус заказа меняет только машина статусов магазина
(``order_status_change``); запрещённый переход записывается ошибкой в журнал, а не применяется.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commerce.orders.exceptions import OrderTransitionNotAllowed
from commerce.orders.models import Order
from commerce.orders.services import order_status_change
from commerce.orders.status import OrderStatus, transition_allowed
from integrations.amocrm import mapping
from integrations.amocrm.models import AmoDeal
from integrations.amocrm.options import options_get
from integrations.core.http import HttpError
from integrations.core.models import ExternalId, ExternalKind, SyncDirection, SyncRun, SyncState

logger = logging.getLogger(__name__)

# Оплату подтверждает платёжная система, а не этап сделки: «оплачен» из amoCRM не применяется.
INBOUND_FORBIDDEN = frozenset({OrderStatus.PAID})


def _target_status(options, order, status_id):
    """Какой статус заказа означает этап status_id: None — не сопоставлен или заказ уже в нём."""
    candidates = mapping.statuses_for_stage(options, status_id)
    if not candidates or order.status in candidates:
        return None
    for status in candidates:
        if transition_allowed(from_status=order.status, to_status=status):
            return status
    return candidates[0]


def _responsible_name(api, user_id, known):
    if not user_id:
        return ""
    if known is not None and known.responsible_user_id == user_id and known.responsible_name:
        return known.responsible_name
    try:
        return str(api.get(f"/api/v4/users/{user_id}").get("name") or "")
    except HttpError:
        # Ключу интеграции могут не дать права на список пользователей: останется id.
        return ""


def lead_apply(*, api, connection, lead, run):
    """Применить одну перечитанную сделку к её заказу и посчитать итог в ``run``."""
    lead_id = int(lead["id"])
    order_id = (
        ExternalId.objects.filter(connection=connection, kind=ExternalKind.ORDER, external_id=str(lead_id))
        .values_list("object_id", flat=True)
        .first()
    )
    order = Order.objects.filter(pk=order_id).first() if order_id else None
    if order is None:
        run.skipped += 1
        return
    options = options_get(connection)
    deal = AmoDeal.objects.filter(connection=connection, order=order).first()
    state = {
        "lead_id": lead_id,
        "pipeline_id": lead.get("pipeline_id"),
        "status_id": lead.get("status_id"),
        "responsible_user_id": lead.get("responsible_user_id"),
    }
    changed = deal is None or any(getattr(deal, key) != value for key, value in state.items())
    if changed:
        state["responsible_name"] = _responsible_name(api, state["responsible_user_id"], deal)
        AmoDeal.objects.update_or_create(connection=connection, order=order, defaults=state)

    pipeline = options.get("pipeline_id")
    target = None
    if not pipeline or int(lead.get("pipeline_id") or 0) == int(pipeline):
        target = _target_status(options, order, lead.get("status_id") or 0)
    label = _("заказ %(number)s") % {"number": order.number}
    if target is None:
        if changed:
            run.updated += 1
        else:
            run.unchanged += 1
        return
    if target in INBOUND_FORBIDDEN:
        run.error_add(
            obj=label,
            message=_("Этап сделки означает «%(status)s»: оплату подтверждает только платёжная система.")
            % {"status": OrderStatus(target).label},
        )
        return
    try:
        order_status_change(
            order=order,
            to_status=target,
            comment=_("Этап сделки %(lead)s изменён менеджером в amoCRM.") % {"lead": lead_id},
        )
    except OrderTransitionNotAllowed as error:
        run.error_add(obj=label, message=str(error.detail))
        return
    run.updated += 1
    logger.info("amoCRM %s: заказ %s → %s по сделке %s", connection.code, order.number, target, lead_id)


def leads_apply(*, api, connection, leads, run):
    """Применить перечитанные из API сделки (ошибка одной не мешает остальным)."""
    for lead in leads:
        try:
            with transaction.atomic():
                lead_apply(api=api, connection=connection, lead=lead, run=run)
        except Exception as error:
            logger.exception("amoCRM %s: сделка %s не применена", connection.code, lead.get("id"))
            run.error_add(obj=_("сделка %(id)s") % {"id": lead.get("id")}, message=f"{type(error).__name__}: {error}")


def webhook_apply(*, api, connection, document):
    """Обработать разобранный вебхук amoCRM и записать итог в журнал синхронизаций.

    Returns:
        SyncRun.
    """
    run = SyncRun.objects.create(connection=connection, direction=SyncDirection.PULL)
    lead_ids = mapping.webhook_lead_ids(document)
    leads_apply(api=api, connection=connection, leads=api.leads_by_ids(lead_ids), run=run)
    run.state = SyncState.ERRORS if run.failed else SyncState.OK
    run.finished_at = timezone.now()
    run.save()
    return run
