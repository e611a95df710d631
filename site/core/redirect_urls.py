"""Проверка адресов, на которые магазин или шлюз перенаправляет покупателя (возврат после оплаты).

Одна функция для всех мест, где адрес перенаправления приходит извне: адрес сравнивается
с разрешёнными хостами так, как его разберёт браузер (стандарт WHATWG URL, библиотека Ada),
а не так, как его видит urllib. Пример, ради которого это сделано:
``https://evil.com\\@www.example.ru/`` — urllib видит хост www.example.ru, браузер уходит на evil.com.

Правила:

* никаких обратных косых черт, управляющих символов и пробелов — браузер их чинит по-своему;
* никаких учётных данных (``user@host``) — классический приём подмены хоста;
* только https; http — лишь для localhost/127.0.0.1/[::1] и только с DEBUG (витрина разработчика);
* хост сравнивается после разбора браузером: нижний регистр, IDNA (punycode),
  без завершающей точки; порт — часть хоста: запись без порта разрешает только порт по умолчанию.
"""

import ada_url
from django.conf import settings
from django.utils.translation import gettext_lazy as _

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


class UnsafeRedirectUrl(ValueError):
    """Адрес перенаправления отклонён: ``code`` — стабильный машинный код, ``message`` — для человека."""

    def __init__(self, code, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


def _browser_host(url):
    """Хост и порт адреса так, как их видит браузер: ``www.example.ru`` или ``localhost:3000``."""
    hostname = url.hostname.rstrip(".")
    return f"{hostname}:{url.port}" if url.port else hostname


def _allowed_host_normalize(entry):
    """Привести запись списка разрешённых хостов к виду, в котором браузер видит хост."""
    try:
        return _browser_host(ada_url.URL(f"https://{entry.strip()}/"))
    except ValueError:
        return None


def redirect_url_validate(value, *, allowed_hosts):
    """Проверить адрес перенаправления и вернуть его в разобранном браузером виде.

    Args:
        value: адрес из запроса.
        allowed_hosts: разрешённые хосты (``www.example.ru``, ``localhost:3000``);
            пустой список — любой хост (только для разработки, в production задайте список).
    Returns:
        Нормализованный адрес (href по WHATWG) — именно его и нужно отдавать дальше,
        чтобы проверенное совпало с тем, куда попадёт браузер.
    Raises:
        UnsafeRedirectUrl: адрес небезопасен или не на разрешённом хосте.
    """
    if not isinstance(value, str) or not value:
        raise UnsafeRedirectUrl("invalid_url", _("Укажите адрес страницы витрины."))
    if "\\" in value or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value):
        raise UnsafeRedirectUrl(
            "invalid_url", _("Адрес возврата содержит недопустимые символы (обратная косая черта, пробелы).")
        )
    scheme, separator, rest = value.partition("://")
    scheme = scheme.lower()
    if not separator or scheme not in ("https", "http") or rest.startswith("/"):
        raise UnsafeRedirectUrl("invalid_scheme", _("Адрес возврата должен начинаться с https://."))
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "@" in authority:
        raise UnsafeRedirectUrl("userinfo_not_allowed", _("Адрес возврата не должен содержать имя и пароль."))
    try:
        url = ada_url.URL(value)
    except ValueError as error:
        raise UnsafeRedirectUrl("invalid_url", _("Адрес возврата не разобрать.")) from error
    if not url.hostname:
        raise UnsafeRedirectUrl("invalid_url", _("Адрес возврата не разобрать."))
    host = _browser_host(url)
    if scheme == "http" and not (settings.DEBUG and url.hostname.rstrip(".") in LOOPBACK_HOSTS):
        raise UnsafeRedirectUrl("invalid_scheme", _("Адрес возврата должен начинаться с https://."))
    if allowed_hosts:
        normalized = {_allowed_host_normalize(entry) for entry in allowed_hosts if entry.strip()}
        if host not in normalized:
            raise UnsafeRedirectUrl("host_not_allowed", _("Адрес возврата не на сайте магазина."))
    return url.href
