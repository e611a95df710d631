"""ERPNext как система ядра интеграций: настройки, проверка, доставка заказов, вебхуки, загрузка."""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce.pricing.models import PriceList
from integrations.core.http import connection_client
from integrations.core.registry import CheckResult, System
from integrations.erpnext import outbound
from integrations.erpnext.client import FrappeApi
from integrations.erpnext.inbound import webhook_apply
from integrations.erpnext.options import OPTIONS_SCHEMA, options_get
from integrations.erpnext.pull import catalog_pull
from integrations.erpnext.signature import HEADER, frappe_signature_valid

logger = logging.getLogger(__name__)


def webhook_url(connection):
    """Полный адрес, на который ERPNext шлёт вебхуки этого подключения (с секретным токеном)."""
    path = reverse("integrations_core:hook", args=[connection.code, connection.webhook_token])
    return settings.WAGTAILAPI_BASE_URL.rstrip("/") + path


class ErpnextSystem(System):
    """ERPNext (Frappe): товары, цены и остатки — из ERPNext, заказы — в ERPNext (Sales Order)."""

    code = "erpnext"
    name = gettext_lazy("ERPNext")
    options_schema = OPTIONS_SCHEMA
    secret_fields = {
        "api_secret": gettext_lazy("API Secret пользователя API"),
        "webhook_secret": gettext_lazy("Секрет вебхуков (Webhook Secret)"),
    }
    events = ("order.created", "order.cancelled")
    # Frappe не объявляет лимита; бережём сайт: не больше 10 запросов в секунду на подключение.
    rate_limit = (10, 1)

    def api(self, *, connection, client):
        return FrappeApi.for_connection(connection=connection, client=client)

    def check(self, *, connection, client):
        """Войти ключами API, проверить организацию, шаблон налогов, прайс-листы (и их валюту) и склады."""
        api = self.api(connection=connection, client=client)
        user = api.method("frappe.auth.get_logged_user")
        options = options_get(connection)
        problems = []
        if options.get("company") and api.get("Company", options["company"]) is None:
            problems.append(_("Организации «%(name)s» нет в ERPNext.") % {"name": options["company"]})
        for option, doctype in (("taxes_template", "Sales Taxes and Charges Template"), ("delivery_item", "Item")):
            if options.get(option) and api.get(doctype, options[option]) is None:
                problems.append(
                    _("%(doctype)s «%(name)s» (%(option)s) нет в ERPNext.")
                    % {"doctype": doctype, "name": options[option], "option": option}
                )
        problems += self._price_list_problems(api=api, options=options)
        warehouses = sorted(options["warehouse_map"])
        if warehouses:
            found = {
                row["name"]
                for row in api.list("Warehouse", fields=["name"], filters=[["name", "in", warehouses]], limit=0)
            }
            missing = [name for name in warehouses if name not in found]
            if missing:
                problems.append(_("Складов нет в ERPNext: %(names)s.") % {"names": ", ".join(missing)})
        if problems:
            return CheckResult(False, " ".join(problems))
        return CheckResult(
            True,
            _("Подключено к ERPNext как %(user)s. Адрес для вебхуков: %(url)s")
            % {"user": user, "url": webhook_url(connection)},
        )

    def _price_list_problems(self, *, api, options):
        mapping = options["price_list_map"]
        if not mapping:
            return []
        rows = api.list(
            "Price List", fields=["name", "currency", "selling"], filters=[["name", "in", sorted(mapping)]], limit=0
        )
        theirs = {row["name"]: row for row in rows}
        ours = dict(PriceList.objects.filter(code__in=mapping.values()).values_list("code", "currency"))
        problems = []
        for name, code in sorted(mapping.items()):
            if name not in theirs:
                problems.append(_("Прайс-листа «%(name)s» нет в ERPNext.") % {"name": name})
            elif code not in ours:
                problems.append(_("Нашего прайс-листа «%(code)s» нет.") % {"code": code})
            elif (theirs[name].get("currency") or "").upper() != ours[code]:
                problems.append(
                    _("Валюта прайс-листа «%(name)s» — %(theirs)s, а нашего «%(code)s» — %(ours)s.")
                    % {"name": name, "theirs": theirs[name].get("currency"), "code": code, "ours": ours[code]}
                )
        return problems

    def deliver(self, *, connection, event, idempotency_key, client):
        api = self.api(connection=connection, client=client)
        if event.kind == "order.created":
            outbound.order_created_deliver(api=api, connection=connection, event=event)
        elif event.kind == "order.cancelled":
            outbound.order_cancelled_deliver(api=api, connection=connection, event=event)
        else:
            logger.info("ERPNext %s: событие %s не передаётся", connection.code, event.kind)

    def webhook_verify(self, *, connection, request, body):
        """Проверить ``X-Frappe-Webhook-Signature``: base64(HMAC-SHA256(секрет вебхуков, сырое тело))."""
        secret = connection.secrets_get().get("webhook_secret", "") if connection.secrets_encrypted else ""
        return frappe_signature_valid(secret=secret, body=body, signature=request.headers.get(HEADER, ""))

    def webhook_event_id(self, *, connection, request, body):
        # Frappe не присылает id события: повтор определяется по хешу тела (так делает ядро).
        return ""

    def webhook_process(self, *, connection, inbound):
        """Перечитать документ вебхука из API и применить; ошибки документа — в ``inbound.error``."""
        api = self.api(connection=connection, client=connection_client(connection))
        run = webhook_apply(api=api, connection=connection, body=inbound.body)
        if run.failed:
            inbound.error = "; ".join(f"{item['object']}: {item['message']}" for item in run.errors)[:2000]

    def sync(self, *, connection, run, full, dry_run, progress):
        """Загрузить группы, товары, варианты, цены и остатки, изменённые после прошлой загрузки."""
        api = self.api(connection=connection, client=connection_client(connection))
        catalog_pull(api=api, connection=connection, run=run, full=full, dry_run=dry_run, progress=progress)
