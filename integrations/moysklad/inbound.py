"""Вебхуки МоегоСклада: каждое событие перечитывается по ``meta.href`` и только потом применяется.

Вебхуки МоегоСклада не подписаны и не несут данных (только ссылку на сущность), поэтому
применяется то, что ответил API по ссылке, а ссылка принимается, только если ведёт в API
этого подключения. Статус заказа меняет только машина статусов магазина; запрещённый переход
записывается ошибкой в журнал, а не применяется.
"""

import json
import logging
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commerce.orders.exceptions import OrderTransitionNotAllowed
from commerce.orders.models import Order
from commerce.orders.services import order_status_change
from commerce.orders.status import OrderStatus
from integrations.core.http import HttpError
from integrations.core.models import ExternalId, ExternalKind, SyncDirection, SyncRun, SyncState
from integrations.moysklad import mapping
from integrations.moysklad.catalog import CatalogPuller
from integrations.moysklad.client import entity_id
from integrations.moysklad.options import options_get

logger = logging.getLogger(__name__)

CATALOG_TYPES = ("product", "variant", "productfolder")
# Оплату подтверждает платёжная система магазина, а не статус заказа в учётной системе.
INBOUND_FORBIDDEN = frozenset({OrderStatus.PAID})


def _own_href(api, href):
    """Ссылка ведёт в API этого подключения (иначе это подделка — не ходим по чужим адресам)."""
    base = urlsplit(api.client.base_url)
    target = urlsplit(href or "")
    return (target.scheme, target.netloc) == (base.scheme, base.netloc) and target.path.startswith(base.path)


def _refetch(api, href, run, label):
    """Перечитать сущность по ссылке события; нет её (404) — запись в журнал и None."""
    try:
        return api.get(urlsplit(href)._replace(query="").geturl())
    except HttpError as error:
        if error.status == 404:
            run.skip_add(obj=label, reason=_("Сущности нет в МоёмСкладе (404): событие пропущено."))
            return None
        raise


def catalog_event_apply(*, api, puller, event, run):
    """Применить событие товара, модификации или группы: удаление — снять с продажи, иначе — перечитать."""
    kind = (event.get("meta") or {}).get("type", "")
    href = (event.get("meta") or {}).get("href", "")
    label = f"{kind} {entity_id(href)}"
    if event.get("action") == "DELETE":
        if kind == "product":
            puller.catalog.products_deactivate([entity_id(href)])
        elif kind == "variant":
            puller.catalog.variants_deactivate([entity_id(href)])
        else:
            run.skip_add(obj=label, reason=_("Удалённая группа не удаляет категорию: перенесите товары на сайте."))
        return
    document = _refetch(api, href, run, label)
    if document is None:
        return
    if kind == "productfolder":
        puller.catalog.categories_upsert([mapping.category_in(document)])
        return
    if kind == "variant":
        product_id = entity_id(document.get("product"))
        known = ExternalId.objects.filter(
            connection=api.connection, kind=ExternalKind.PRODUCT, external_id=product_id
        ).exists()
        if not known:
            product = _refetch(api, document["product"]["meta"]["href"], run, f"product {product_id}")
            if product is None:
                return
            puller.goods_apply([product])
        elif not document.get("salePrices"):
            product = _refetch(api, document["product"]["meta"]["href"], run, f"product {product_id}")
            puller.product_prices[product_id] = (product or {}).get("salePrices") or []
    puller.goods_apply([document], variants_refresh=False)


def order_event_apply(*, api, connection, event, run):
    """Статус заказа покупателя сменили в МоёмСкладе: перевести наш заказ по машине статусов."""
    href = (event.get("meta") or {}).get("href", "")
    order_id = (
        ExternalId.objects.filter(connection=connection, kind=ExternalKind.ORDER, external_id=entity_id(href))
        .values_list("object_id", flat=True)
        .first()
    )
    order = Order.objects.filter(pk=order_id).first() if order_id else None
    if order is None:
        run.skip_add(obj=f"customerorder {entity_id(href)}", reason=_("Заказ создан не магазином: пропущен."))
        return
    document = api.get(urlsplit(href)._replace(query="").geturl(), params={"expand": "state"})
    state = document.get("state") or {}
    status_map = options_get(connection)["status_map"]
    target = status_map.get(state.get("id") or entity_id(state)) or status_map.get(state.get("name", ""))
    label = _("заказ %(number)s") % {"number": order.number}
    if not target or target == order.status:
        run.unchanged += 1
        return
    if target in INBOUND_FORBIDDEN:
        run.error_add(
            obj=label,
            message=_("Статус «%(state)s» означает «оплачен»: оплату подтверждает только платёжная система.")
            % {"state": state.get("name", "")},
        )
        return
    try:
        order_status_change(
            order=order,
            to_status=target,
            comment=_("Статус «%(state)s» установлен в МоёмСкладе.") % {"state": state.get("name", "")},
        )
    except OrderTransitionNotAllowed as error:
        run.error_add(obj=label, message=str(error.detail))
        return
    run.updated += 1


def stock_event_apply(*, puller, document):
    """Вебхук остатков: взять момент из reportUrl и перечитать короткий отчёт с этого момента."""
    query = parse_qs(urlsplit(document.get("reportUrl") or "").query)
    since_text = (query.get("changedSince") or [""])[0]
    try:
        since = datetime.strptime(since_text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=mapping.MSK)
    except ValueError:
        since = timezone.now() - timedelta(minutes=10)
    return puller.stocks_changed(since=since)


def webhook_apply(*, api, connection, body):
    """Обработать тело вебхука МоегоСклада; итог — запись журнала синхронизаций.

    Returns:
        SyncRun.
    """
    run = SyncRun.objects.create(connection=connection, direction=SyncDirection.PULL)
    document = json.loads(body or "{}")
    puller = CatalogPuller(api=api, connection=connection, run=run)
    if "reportUrl" in document:
        stock_event_apply(puller=puller, document=document)
    for event in document.get("events") or ():
        kind = (event.get("meta") or {}).get("type", "")
        href = (event.get("meta") or {}).get("href", "")
        label = f"{kind or '—'} {entity_id(href)}"
        if not _own_href(api, href):
            run.error_add(obj=label, message=_("Ссылка события ведёт не в API подключения: событие отклонено."))
            continue
        try:
            with transaction.atomic():
                if kind in CATALOG_TYPES:
                    catalog_event_apply(api=api, puller=puller, event=event, run=run)
                elif kind == "customerorder":
                    order_event_apply(api=api, connection=connection, event=event, run=run)
                else:
                    run.skip_add(obj=label, reason=_("Такие события магазин не обрабатывает."))
        except HttpError as error:
            run.error_add(obj=label, message=str(error))
    run.state = SyncState.ERRORS if run.failed else SyncState.OK
    run.finished_at = timezone.now()
    run.save()
    return run
