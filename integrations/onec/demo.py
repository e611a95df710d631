"""Демонстрационный узел обмена с 1С для `manage.py seed_demo` (только не в продакшене)."""

from django.conf import settings

from integrations.core import crypto
from integrations.core.models import Connection
from integrations.core.services import connection_create

DEMO_CODE = "1c-demo"
DEMO_USERNAME = "1c"
DEMO_PASSWORD = "1c-demo"  # noqa: S105 — документированный пароль демо-узла, только вне продакшена


def seed_onec_connection(*, stdout):
    """Создать подключение 1С с логином ``1c`` и паролем ``1c-demo``, чтобы направить 1С на `make run`."""
    if settings.IS_PRODUCTION:
        return
    if not Connection.objects.filter(code=DEMO_CODE).exists():
        try:
            connection_create(
                system="onec",
                code=DEMO_CODE,
                options={"username": DEMO_USERNAME},
                secrets={"password": DEMO_PASSWORD},
            )
        except crypto.SecretKeyMissing:
            stdout.write("Обмен с 1С: задайте INTEGRATIONS_SECRET_KEY, чтобы создать демо-узел обмена.")
            return
    stdout.write(
        f"Обмен с 1С: адрес /integrations/1c/exchange/ (или /bitrix/admin/1c_exchange.php), "
        f"пользователь {DEMO_USERNAME}, пароль {DEMO_PASSWORD}."
    )


def demo_summary_lines(*, base_url):
    """Вернуть строку блока «как войти» `make run` про демо-узел 1С (или как его включить)."""
    if settings.IS_PRODUCTION:
        return []
    if not Connection.objects.filter(code=DEMO_CODE).exists():
        return ["1С (демо):    задайте INTEGRATIONS_SECRET_KEY — появится узел обмена с логином 1c."]
    return [f"1С (демо):    {base_url}/integrations/1c/exchange/ — логин {DEMO_USERNAME}, пароль {DEMO_PASSWORD}"]
