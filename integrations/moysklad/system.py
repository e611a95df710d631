"""МойСклад как система ядра интеграций: проверка и регистрация вебхуков, доставка заказов, вебхуки, синхронизация."""

import json
import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.core.http import connection_client
from integrations.core.registry import CheckResult, DeliveryError, System
from integrations.core.selectors import webhook_url
from integrations.core.sync import connection_broken_notice
from integrations.moysklad import outbound
from integrations.moysklad.catalog import CatalogPuller
from integrations.moysklad.client import AuthBroken, MsApi
from integrations.moysklad.inbound import webhook_apply
from integrations.moysklad.options import OPTIONS_SCHEMA, options_get

logger = logging.getLogger(__name__)

# Вебхуки на сущности, которые магазин перечитывает: каталог — все действия, заказы — смена статуса.
WEBHOOKS = (
    *(
        (entity, action)
        for entity in ("product", "variant", "productfolder")
        for action in ("CREATE", "UPDATE", "DELETE")
    ),
    ("customerorder", "UPDATE"),
)


class MoyskladSystem(System):
    code = "moysklad"
    name = gettext_lazy("МойСклад")
    options_schema = OPTIONS_SCHEMA
    secret_fields = {"token": gettext_lazy("Токен API МоегоСклада")}
    events = ("order.created", "order.paid", "order.cancelled")
    # МойСклад: 45 запросов за 3 с на пользователя. Берём 40: окно МоегоСклада считает приход
    # запросов, а сеть сбивает их в пачки — с 45 замер получал редкие 429 (их тоже пережидаем).
    rate_limit = (40, 3)

    def api(self, *, connection, client):
        return MsApi(connection=connection, client=client)

    def _broken(self, connection, error):
        connection_broken_notice(connection=connection, obj=_("Токен МоегоСклада"), message=str(error))

    def check(self, *, connection, client):
        """Проверить токен и юрлицо, зарегистрировать вебхуки каталога, заказов и остатков."""
        api = self.api(connection=connection, client=client)
        options = options_get(connection)
        try:
            organizations = (api.get("/entity/organization", params={"limit": 100}) or {}).get("rows") or []
            if options.get("organization") and options["organization"] not in {row["id"] for row in organizations}:
                return CheckResult(
                    False,
                    _("Юрлица %(id)s нет в МоёмСкладе: проверьте organization.") % {"id": options["organization"]},
                )
            created = self.webhooks_register(api=api, connection=connection)
        except AuthBroken as error:
            self._broken(connection, error)
            return CheckResult(False, str(error))
        names = ", ".join(row.get("name", "") for row in organizations[:3])
        return CheckResult(
            True,
            _("Подключено к МоемуСкладу (юрлица: %(names)s). Вебхуков создано: %(created)s; адрес: %(url)s")
            % {"names": names or "—", "created": created, "url": webhook_url(connection)},
        )

    def webhooks_register(self, *, api, connection):
        """Создать недостающие вебхуки на наш адрес (повтор проверки не создаёт дублей); вернуть число новых."""
        url = webhook_url(connection)
        existing = {
            (row.get("entityType"), row.get("action"))
            for row in (api.get("/entity/webhook", params={"limit": 1000}) or {}).get("rows") or ()
            if row.get("url") == url
        }
        created = 0
        for entity, action in WEBHOOKS:
            if (entity, action) not in existing:
                document = {"url": url, "action": action, "entityType": entity}
                if action == "UPDATE":
                    document["diffType"] = "NONE"
                api.post("/entity/webhook", document)
                created += 1
        stock_hooks = (api.get("/entity/webhookstock", params={"limit": 100}) or {}).get("rows") or ()
        if not any(row.get("url") == url for row in stock_hooks):
            api.post("/entity/webhookstock", {"url": url, "stockType": "stock", "reportType": "bystore"})
            created += 1
        return created

    def deliver(self, *, connection, event, idempotency_key, client):
        api = self.api(connection=connection, client=client)
        handlers = {
            "order.created": outbound.order_created_deliver,
            "order.paid": outbound.order_paid_deliver,
            "order.cancelled": outbound.order_cancelled_deliver,
        }
        handler = handlers.get(event.kind)
        if handler is None:
            logger.info("МойСклад %s: событие %s не передаётся", connection.code, event.kind)
            return
        try:
            handler(api=api, connection=connection, event=event)
        except AuthBroken as error:
            # Ждать нового токена: события дождутся («Повторить недоставленные»).
            self._broken(connection, error)
            raise DeliveryError(str(error)) from error

    def webhook_event_id(self, *, connection, request, body):
        # МойСклад повторяет вебхук с тем же requestId — по нему отбрасываются повторы.
        return request.GET.get("requestId", "")

    def webhook_verify(self, *, connection, request, body):
        """Принять только JSON с событиями или ссылкой на отчёт: подписи у МоегоСклада нет.

        Защита — секретный токен в адресе (проверен ядром) и перечитывание каждой сущности из API.
        """
        try:
            document = json.loads(body or b"{}")
        except ValueError:
            return False
        return isinstance(document, dict) and ("events" in document or "reportUrl" in document)

    def webhook_process(self, *, connection, inbound):
        api = self.api(connection=connection, client=connection_client(connection))
        try:
            run = webhook_apply(api=api, connection=connection, body=inbound.body)
        except AuthBroken as error:
            self._broken(connection, error)
            inbound.error = str(error)[:2000]
            return
        if run.failed:
            inbound.error = "; ".join(f"{item['object']}: {item['message']}" for item in run.errors)[:2000]

    def sync(self, *, connection, run, full, dry_run, progress):
        """Загрузить каталог, цены и остатки (``--full`` — всё, иначе изменённое с прошлого раза)."""
        api = self.api(connection=connection, client=connection_client(connection))
        # AuthBroken поднимается дальше: sync_run ядра запишет проход «прерванным» с этим текстом.
        CatalogPuller(api=api, connection=connection, run=run, dry_run=dry_run, progress=progress).pull(full=full)
