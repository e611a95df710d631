"""amoCRM как система ядра интеграций: настройки, проверка, доставка событий, вебхуки, синхронизация."""

import logging

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.amocrm import customers, mapping, outbound
from integrations.amocrm.client import AmoApi
from integrations.amocrm.inbound import leads_apply, webhook_apply
from integrations.amocrm.oauth import AuthBroken
from integrations.amocrm.options import OPTIONS_SCHEMA, options_get
from integrations.amocrm.selectors import webhook_url
from integrations.core.http import HttpError, connection_client
from integrations.core.models import SyncDirection, SyncRun, SyncState
from integrations.core.registry import CheckResult, DeliveryError, System

logger = logging.getLogger(__name__)


class AmocrmSystem(System):
    code = "amocrm"
    name = gettext_lazy("amoCRM")
    options_schema = OPTIONS_SCHEMA
    secret_fields = {
        "client_secret": gettext_lazy("Секретный ключ интеграции"),
        "code": gettext_lazy("Код авторизации (действует 20 минут)"),
        "long_lived_token": gettext_lazy("Долгосрочный токен (вместо кода)"),
    }
    events = ("order.created", "order.status_changed", "crm.request", "customer.created", "customer.changed")
    rate_limit = (7, 1)  # amoCRM: не больше 7 запросов в секунду на аккаунт

    def api(self, *, connection, client):
        return AmoApi(connection=connection, client=client)

    def check(self, *, connection, client):
        """Получить аккаунт, проверить воронку и этапы из настроек; ответить понятным сообщением."""
        api = self.api(connection=connection, client=client)
        try:
            account = api.get("/api/v4/account")
        except AuthBroken as error:
            return CheckResult(False, str(error))
        except HttpError as error:
            if error.status == 402:
                return CheckResult(False, _("Аккаунт amoCRM не оплачен (ответ 402): API недоступен."))
            raise
        options = options_get(connection)
        subdomain = options.get("subdomain") or mapping.subdomain_from_url(connection.base_url)
        if subdomain and account.get("subdomain") and account["subdomain"] != subdomain:
            return CheckResult(
                False,
                _("Токен от другого аккаунта: «%(their)s», а в подключении — «%(ours)s».")
                % {"their": account["subdomain"], "ours": subdomain},
            )
        problem = self._pipeline_problem(api=api, options=options) or self._catalog_problem(api=api, options=options)
        if problem:
            return CheckResult(False, problem)
        message = _("Подключено к аккаунту «%(name)s» (%(subdomain)s). Адрес для вебхуков amoCRM: %(url)s") % {
            "name": account.get("name", ""),
            "subdomain": account.get("subdomain", ""),
            "url": webhook_url(connection),
        }
        return CheckResult(True, message + self._catalog_hint(api=api, options=options))

    def _catalog_problem(self, *, api, options):
        catalog_id = options.get("catalog_id")
        if not catalog_id:
            return ""
        try:
            api.get(f"/api/v4/catalogs/{catalog_id}")
        except HttpError as error:
            if error.status == 404:
                return _("Списка %(id)s нет в аккаунте: проверьте catalog_id (список «Товары»).") % {"id": catalog_id}
            raise
        return ""

    def _catalog_hint(self, *, api, options):
        """Подсказать id списка «Товары», если он есть в аккаунте, а строки заказа идут заметкой."""
        if options.get("catalog_id"):
            return " " + _("Строки заказа — товарами списка %(id)s.") % {"id": options["catalog_id"]}
        catalogs = api.embedded(api.get("/api/v4/catalogs", params={"limit": 250}), "catalogs")
        products = next((item for item in catalogs if item.get("type") == "products"), None)
        if products is None:
            return ""
        return " " + _(
            "В аккаунте включены товары (список %(id)s): задайте catalog_id, чтобы строки заказа "
            "приходили товарами сделки, а не только заметкой."
        ) % {"id": products["id"]}

    def _pipeline_problem(self, *, api, options):
        pipeline_id = options.get("pipeline_id")
        if not pipeline_id:
            return _("Не выбрана воронка (pipeline_id): сделки некуда создавать.")
        try:
            pipeline = api.get(f"/api/v4/leads/pipelines/{pipeline_id}")
        except HttpError as error:
            if error.status == 404:
                return _("Воронки %(id)s нет в аккаунте: проверьте pipeline_id.") % {"id": pipeline_id}
            raise
        stages = {int(item["id"]) for item in api.embedded(pipeline, "statuses")}
        wanted = {"stage_id": options.get("stage_id")} | {
            f"stage_map.{key}": value for key, value in (options.get("stage_map") or {}).items()
        }
        missing = [f"{name} = {value}" for name, value in wanted.items() if value and int(value) not in stages]
        if missing:
            return _("В воронке «%(name)s» нет этапов: %(missing)s.") % {
                "name": pipeline.get("name", pipeline_id),
                "missing": ", ".join(missing),
            }
        return ""

    def deliver(self, *, connection, event, idempotency_key, client):
        api = self.api(connection=connection, client=client)
        try:
            if event.kind == "order.created":
                outbound.order_created_deliver(
                    api=api, connection=connection, event=event, idempotency_key=idempotency_key
                )
            elif event.kind == "order.status_changed":
                outbound.order_status_deliver(api=api, connection=connection, event=event)
            elif event.kind == "crm.request":
                outbound.crm_request_deliver(
                    api=api, connection=connection, event=event, idempotency_key=idempotency_key
                )
            elif event.kind in ("customer.created", "customer.changed"):
                if options_get(connection).get("sync_customers", True):
                    customers.customer_deliver(
                        api=api, connection=connection, event=event, contact_find=outbound.contact_find
                    )
            else:
                logger.info("amoCRM %s: событие %s не передаётся", connection.code, event.kind)
        except AuthBroken as error:
            # Ждать нового кода: администратор исправит, события дождутся («Повторить недоставленные»).
            raise DeliveryError(str(error)) from error

    def webhook_verify(self, *, connection, request, body):
        """Принять вебхук, только если он про наш аккаунт (поддомен и, если задан, id аккаунта).

        amoCRM не подписывает вебхуки: главная защита — секретный токен в адресе (проверен ядром)
        и перечитывание сделок из API перед применением.
        """
        account = mapping.form_parse(body).get("account")
        if not isinstance(account, dict):
            return False
        options = options_get(connection)
        subdomain = options.get("subdomain") or mapping.subdomain_from_url(connection.base_url)
        if subdomain and account.get("subdomain") != subdomain:
            return False
        return not (options.get("account_id") and str(account.get("id")) != str(options["account_id"]))

    def webhook_event_id(self, *, connection, request, body):
        # Id события amoCRM не присылает: повтор определяется по хешу тела (так делает ядро).
        return ""

    def webhook_process(self, *, connection, inbound):
        """Перечитать сделки из вебхука через API и применить их; итог — в журнале синхронизаций."""
        api = self.api(connection=connection, client=connection_client(connection))
        run = webhook_apply(api=api, connection=connection, document=mapping.form_parse(inbound.body))
        if run.failed:
            inbound.error = "; ".join(f"{item['object']}: {item['message']}" for item in run.errors)[:2000]

    def sync(self, *, connection, run, full, dry_run, progress):
        """Перечитать сделки, изменённые с прошлой синхронизации (``--full`` — все), и применить их."""
        api = self.api(connection=connection, client=connection_client(connection))
        since = None
        if not full:
            since = (
                SyncRun.objects.filter(
                    connection=connection, direction=SyncDirection.PULL, state__in=[SyncState.OK, SyncState.ERRORS]
                )
                .exclude(pk=run.pk)
                .aggregate(last=Max("started_at"))["last"]
            )
        params = {"limit": 250, "with": "contacts"}
        pipeline_id = options_get(connection).get("pipeline_id")
        if pipeline_id:
            params["filter[pipeline_id]"] = pipeline_id
        if since is not None:
            params["filter[updated_at][from]"] = int(since.timestamp())
        page, done = 1, 0
        while True:
            leads = api.embedded(api.get("/api/v4/leads", params={**params, "page": page}), "leads")
            if not leads:
                break
            if dry_run:
                run.skipped += len(leads)
            else:
                leads_apply(api=api, connection=connection, leads=leads, run=run)
            done += len(leads)
            progress(done, done)
            if len(leads) < params["limit"]:
                break
            page += 1
