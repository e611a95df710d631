"""Система «1С» для ядра интеграций: настройки подключения узла обмена и проверка."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.core.registry import CheckResult, System
from integrations.onec.models import ExchangeSession


class OnecSystem(System):
    """1С:Предприятие (УТ, КА, ERP, УНФ, Розница) — обмен с сайтом по CommerceML 2.

    1С — клиент: она сама приходит на `/integrations/1c/exchange/` (или путь Битрикса),
    поэтому адреса API у подключения нет, а «проверка» показывает последнюю сессию обмена.
    """

    code = "onec"
    name = gettext_lazy("1С (обмен с сайтом, CommerceML)")
    secret_fields = {"password": gettext_lazy("Пароль пользователя обмена")}
    options_schema = {
        "type": "object",
        "properties": {
            "username": {"type": "string", "minLength": 1, "maxLength": 150},
            # {Ид типа цен 1С или его название: код нашего прайс-листа}
            "price_types": {"type": "object", "additionalProperties": {"type": "string"}},
            # {Ид склада 1С или его название: код нашего склада}; "*" — для общего остатка без склада.
            "warehouses": {"type": "object", "additionalProperties": {"type": "string"}},
            # {значение «Статус заказа» из 1С: наш статус (new, paid, shipped...)}
            "statuses": {"type": "object", "additionalProperties": {"type": "string"}},
            "encoding": {"enum": ["utf-8", "windows-1251"]},
            "deactivate_missing": {"type": "boolean"},
            "keep": {"type": "array", "items": {"enum": ["name", "description", "images", "categories"]}},
            "zip": {"type": "boolean"},
        },
        "required": ["username"],
    }

    def check(self, *, connection, client):
        """Сказать, настроен ли пользователь обмена и когда 1С приходила последний раз."""

        if not connection.options.get("username") or not connection.secrets_get().get("password"):
            return CheckResult(False, _("Не заданы пользователь и пароль обмена (username, password)."))
        last = ExchangeSession.objects.filter(connection=connection).order_by("-pk").first()
        if last is None:
            return CheckResult(True, _("Настроено. 1С ещё не обращалась к сайту."))
        return CheckResult(
            True,
            _("Настроено. Последний обмен (%(type)s): %(when)s.")
            % {"type": last.get_type_display(), "when": last.last_seen_at.strftime("%d.%m.%Y %H:%M")},
        )
