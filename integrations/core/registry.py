"""Реестр внешних систем и интерфейс, который реализует каждый коннектор.

Коннектор (приложение рядом с ядром) объявляет наследника :class:`System` и вызывает
:func:`system_register` в своём ``AppConfig.ready()``: так список систем в админке и в
``manage.py integrations add`` строится из установленных приложений, без настройки.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

_systems = {}


@dataclass(frozen=True)
class CheckResult:
    """Итог «Проверить соединение»: ``ok`` и понятное человеку сообщение на русском."""

    ok: bool
    message: str


class DeliveryError(Exception):
    """Внешняя система не приняла событие.

    ``retry_after`` — через сколько секунд система просит повторить (Retry-After),
    ``permanent`` — повтор бесполезен (например, 400 на это событие): сразу в «мёртвые».
    """

    def __init__(self, message, *, retry_after=None, permanent=False):
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class System:
    """Базовый класс внешней системы (1С, МойСклад, amoCRM, ERPNext, вебхук...).

    Атрибуты класса:
        code: машинное имя системы (``moysklad``), хранится в подключении.
        name: название для людей.
        options_schema: JSON Schema настроек подключения (проверяется при сохранении).
        secret_fields: {имя: подпись} — секреты, которые хранятся зашифрованными.
        events: виды событий outbox, на которые подписано подключение (``order.paid``...);
            ``("*",)`` — все.
        rate_limit: (запросов, секунд) по умолчанию; настройка ``rate_limit`` подключения
            («45/3») важнее.
        webhook_token_in_path: вебхук проверяется токеном в адресе (иначе только подписью,
            см. :meth:`webhook_verify`).
    """

    code = ""
    name = ""
    options_schema = {"type": "object"}
    secret_fields = {}
    events = ()
    rate_limit = None
    webhook_token_in_path = True

    def check(self, *, connection, client):
        """Сделать настоящий запрос к системе и сказать, работает ли подключение.

        Args:
            connection: Connection.
            client: HttpClient подключения (таймауты, повторы, лимит запросов).

        Returns:
            CheckResult. Ошибки HTTP (HttpError) можно не ловить: ядро переведёт их
            в сообщение («неверный адрес», «нет прав», «система не отвечает»).
        """
        raise NotImplementedError

    def deliver(self, *, connection, event, idempotency_key, client):
        """Передать системе одно событие outbox.

        Вызов может повториться с тем же ``idempotency_key`` (доставка «хотя бы раз»):
        передайте ключ системе, если она умеет по нему отбрасывать повторы.

        Raises:
            DeliveryError: система не приняла событие; HttpError — тоже повторяется.
        """
        raise NotImplementedError(f"Система {self.code} не принимает события")

    def webhook_verify(self, *, connection, request, body):
        """Проверить подпись входящего вебхука (токен в адресе ядро уже проверило).

        Returns:
            bool — подпись верна (по умолчанию подписи нет — True).
        """
        return True

    def webhook_event_id(self, *, connection, request, body):
        """Вернуть id события у отправителя — по нему отбрасываются повторы (по умолчанию X-Event-Id)."""
        return request.headers.get("X-Event-Id", "")

    def webhook_process(self, *, connection, inbound):
        """Обработать принятый вебхук в Celery (``inbound`` — InboundWebhook, тело в ``inbound.body``).

        Не доверяйте содержимому: перечитайте объект из API системы, если она это позволяет.
        """
        raise NotImplementedError(f"Система {self.code} не принимает вебхуки")

    def sync(self, *, connection, run, full, dry_run, progress):
        """Выполнить синхронизацию (загрузку из системы) и заполнить счётчики ``run`` (SyncRun).

        Args:
            full: полный проход вместо инкрементального.
            dry_run: ничего не записывать, только посчитать.
            progress: callable(done, total) для полосы прогресса.
        """
        raise NotImplementedError(f"Система {self.code} не умеет синхронизацию")


def system_register(system_class):
    """Зарегистрировать систему (вызывать из AppConfig.ready()); повтор того же класса безвреден.

    Raises:
        ImproperlyConfigured: нет кода или код занят другим классом.
    """
    if not system_class.code:
        raise ImproperlyConfigured(f"{system_class.__name__}: у системы должен быть code.")
    existing = _systems.get(system_class.code)
    if existing is not None and existing is not system_class:
        raise ImproperlyConfigured(f"Система {system_class.code!r} уже зарегистрирована классом {existing.__name__}.")
    _systems[system_class.code] = system_class
    return system_class


def system_unregister(code):
    """Убрать систему из реестра (для тестов, которые регистрируют свою систему)."""
    _systems.pop(code, None)


def system_get(code):
    """Вернуть экземпляр системы по коду.

    Raises:
        LookupError: система не установлена (её приложение не в INSTALLED_APPS).
    """
    try:
        return _systems[code]()
    except KeyError:
        raise LookupError(f"Система {code!r} не установлена") from None


def system_choices():
    """Список (код, название) установленных систем для выбора в форме."""
    return sorted(((code, str(cls.name)) for code, cls in _systems.items()), key=lambda item: item[1])
