"""manage.py integrations list|add|check|sync|retry|rotate-key — подключения из командной строки."""

import getpass
import json
import os
import sys

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.oauth.services import provider_secrets_rotate
from integrations.core import services
from integrations.core.models import Connection, Delivery, DeliveryState
from integrations.core.outbox import deliveries_retry
from integrations.core.registry import system_choices, system_get
from integrations.core.sync import sync_run


def _pairs(values, *, option):
    result = {}
    for value in values or ():
        name, sep, rest = value.partition("=")
        if not sep or not name:
            raise CommandError(f"{option}: ожидается ключ=значение, получено {value!r}")
        result[name] = _value(rest)
    return result


def _value(text):
    """Значение настройки: объект, список или true/false — как JSON (сопоставления 1С), иначе строка."""
    if text[:1] in "{[" or text in ("true", "false"):
        try:
            return json.loads(text)
        except ValueError:
            raise CommandError(f"Значение {text!r} похоже на JSON, но не разбирается.") from None
    return text


class Command(BaseCommand):
    help = "Подключения к внешним системам: список, добавление, проверка, синхронизация, повтор, ротация ключа."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("list", help="подключения и их состояние")
        add = commands.add_parser("add", help="добавить подключение")
        add.add_argument("system", help="система: " + ", ".join(code for code, _name in system_choices()))
        add.add_argument("--code", required=True)
        add.add_argument("--url", default="")
        add.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="настройка (не секрет)")
        add.add_argument(
            "--set-env", action="append", default=[], metavar="KEY=ENV_VAR", help="секрет из переменной окружения"
        )
        add.add_argument("--disabled", action="store_true", help="создать выключенным")
        check = commands.add_parser("check", help="проверить соединение")
        check.add_argument("code")
        sync = commands.add_parser("sync", help="синхронизировать")
        sync.add_argument("code")
        sync.add_argument("--full", action="store_true")
        sync.add_argument("--dry-run", action="store_true")
        retry = commands.add_parser("retry", help="повторить недоставленные события")
        retry.add_argument("code")
        commands.add_parser("rotate-key", help="перешифровать секреты первым ключом INTEGRATIONS_SECRET_KEY")

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def _connection(self, code):
        try:
            return Connection.objects.get(code=code)
        except Connection.DoesNotExist:
            raise CommandError(f"Подключения {code!r} нет (manage.py integrations list).") from None

    def handle_list(self, **options):
        try:
            services.secrets_key_check()
        except ImproperlyConfigured as error:
            self.stderr.write(self.style.ERROR(str(error)))
        rows = Connection.objects.order_by("code")
        if not rows:
            self.stdout.write("Подключений нет.")
        for connection in rows:
            stuck = Delivery.objects.filter(connection=connection, state=DeliveryState.DEAD).count()
            waiting = Delivery.objects.filter(connection=connection, state=DeliveryState.PENDING).count()
            state = "вкл" if connection.enabled else "выкл"
            self.stdout.write(
                f"{connection.code}\t{connection.system}\t{state}\t{connection.base_url}\t"
                f"ждут: {waiting}, не доставлено: {stuck}"
            )

    def handle_add(self, *, system, code, url, set, set_env, disabled, **options):  # noqa: A002 — имя флага --set
        try:
            system_class = type(system_get(system))
        except LookupError as error:
            raise CommandError(str(error)) from None
        settings_values = _pairs(set, option="--set")
        for name in settings_values:
            if name in system_class.secret_fields:
                raise CommandError(f"{name} — секрет: передайте его через --set-env {name}=ПЕРЕМЕННАЯ или введите.")
        secrets = {}
        for name, variable in _pairs(set_env, option="--set-env").items():
            if variable not in os.environ:
                raise CommandError(f"Переменная окружения {variable} не задана.")
            secrets[name] = os.environ[variable]
        for name, label in system_class.secret_fields.items():
            if name not in secrets and sys.stdin.isatty():
                secrets[name] = getpass.getpass(f"{label} ({name}, Enter — пропустить): ")
        try:
            connection = services.connection_create(
                system=system,
                code=code,
                base_url=url,
                options=settings_values,
                secrets={name: value for name, value in secrets.items() if value},
                enabled=not disabled,
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
        self.stdout.write(self.style.SUCCESS(f"Подключение {connection.code} создано."))
        self.stdout.write(f"Адрес вебхуков: /integrations/hooks/{connection.code}/{connection.webhook_token}/")

    def handle_check(self, *, code, **options):
        result = services.connection_check(connection=self._connection(code))
        if not result.ok:
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))

    def handle_sync(self, *, code, full, dry_run, **options):
        connection = self._connection(code)
        tty = self.stderr.isatty()

        def progress(done, total):
            if not tty or not total:
                return
            width = 30
            filled = int(width * done / total)
            self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")

        try:
            run = sync_run(connection=connection, full=full, dry_run=dry_run, progress=progress)
        except NotImplementedError as error:
            raise CommandError(str(error)) from None
        if tty:
            self.stderr.write("")
        self.stdout.write(
            f"Итог: {run.get_state_display()}; создано {run.created}, обновлено {run.updated}, "
            f"без изменений {run.unchanged}, пропущено {run.skipped}, с ошибкой {run.failed}; "
            f"за {run.duration.total_seconds():.1f} с."
        )
        for error in run.errors[:10]:
            self.stdout.write(f"  {error['object']}: {error['message']}")

    def handle_retry(self, *, code, **options):
        count = deliveries_retry(queryset=Delivery.objects.filter(connection=self._connection(code)))
        self.stdout.write(f"Поставлено на повтор: {count}.")

    def handle_rotate_key(self, **options):
        count = services.secrets_rotate_all()
        # Ключ общий с секретами провайдеров входа через соцсети (core.crypto): их тоже.
        oauth_count = provider_secrets_rotate()
        self.stdout.write(
            self.style.SUCCESS(f"Перешифровано подключений: {count}; настроек провайдеров входа: {oauth_count}.")
        )
