"""Счётчики лимитов в кэше (Redis): частота запросов кодов и неудачных входов.

Окна фиксированные (час, сутки, N минут): ключ содержит номер окна, счётчик растёт
атомарным INCR в Redis, запись живёт до конца окна. Это проще скользящего окна и
для защиты от накачки SMS достаточно: за сутки не уйдёт больше 2 × лимита.
"""

import time

from django.conf import settings
from django.core.cache import cache

from accounts.exceptions import CodeRequestLimit, CodeResendTooSoon, LoginThrottled

HOUR = 60 * 60
DAY = 24 * HOUR


def current_timestamp():
    """Вернуть текущее время в секундах (одна точка, которую тесты могут сдвинуть)."""
    return time.time()


def _window(window):
    now = current_timestamp()
    bucket = int(now // window)
    return bucket, (bucket + 1) * window - now


def counter_hit(*, key, window):
    """Увеличить счётчик окна и вернуть пару (новое значение, секунд до конца окна)."""
    bucket, remaining = _window(window)
    cache_key = f"limit:{key}:{window}:{bucket}"
    cache.add(cache_key, 0, timeout=int(remaining) + 1)
    try:
        value = cache.incr(cache_key)
    except ValueError:
        # Запись истекла между add и incr: окно только что сменилось.
        cache.set(cache_key, 1, timeout=int(remaining) + 1)
        value = 1
    return value, remaining


def counter_value(*, key, window):
    """Вернуть пару (текущее значение счётчика окна, секунд до конца окна)."""
    bucket, remaining = _window(window)
    return cache.get(f"limit:{key}:{window}:{bucket}", 0), remaining


def counter_reset(*, key, window):
    """Обнулить счётчик текущего окна."""
    bucket, _remaining = _window(window)
    cache.delete(f"limit:{key}:{window}:{bucket}")


def code_request_allow(*, target, ip_address):
    """Разрешить запрос одноразового кода на номер или адрес ``target`` с адреса ``ip_address``.

    Проверяет паузу между отправками на один target и потолки в час и в сутки
    на target и на IP. Считается каждый запрос — есть аккаунт или нет, иначе
    по лимитам можно было бы узнать, зарегистрирован ли номер.

    Raises:
        CodeResendTooSoon: пауза после прошлого кода ещё не прошла.
        CodeRequestLimit: превышен часовой или суточный потолок.
    """
    resend_seconds = settings.ACCOUNTS_CODE_RESEND_SECONDS
    if resend_seconds > 0:
        cooldown_key = f"code-cooldown:{target}"
        if not cache.add(cooldown_key, current_timestamp() + resend_seconds, timeout=resend_seconds):
            available_at = cache.get(cooldown_key) or current_timestamp() + resend_seconds
            raise CodeResendTooSoon(wait=available_at - current_timestamp())
    checks = [
        (f"code-target:{target}", HOUR, settings.ACCOUNTS_CODE_LIMIT_TARGET_PER_HOUR),
        (f"code-target:{target}", DAY, settings.ACCOUNTS_CODE_LIMIT_TARGET_PER_DAY),
    ]
    if ip_address:
        checks += [
            (f"code-ip:{ip_address}", HOUR, settings.ACCOUNTS_CODE_LIMIT_IP_PER_HOUR),
            (f"code-ip:{ip_address}", DAY, settings.ACCOUNTS_CODE_LIMIT_IP_PER_DAY),
        ]
    # Сначала проверить все потолки, потом считать: отказ по IP не должен съедать лимит номера.
    for key, window, limit in checks:
        value, remaining = counter_value(key=key, window=window)
        if value >= limit:
            raise CodeRequestLimit(wait=remaining)
    for key, window, _limit in checks:
        counter_hit(key=key, window=window)


def login_allow(*, login_key, ip_address):
    """Проверить, не закрыт ли вход для аккаунта ``login_key`` или адреса ``ip_address``.

    Raises:
        LoginThrottled: слишком много неудач за окно ACCOUNTS_LOGIN_WINDOW_SECONDS.
    """
    window = settings.ACCOUNTS_LOGIN_WINDOW_SECONDS
    checks = [(f"login-account:{login_key}", settings.ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT)]
    if ip_address:
        checks.append((f"login-ip:{ip_address}", settings.ACCOUNTS_LOGIN_FAILURES_PER_IP))
    for key, limit in checks:
        value, remaining = counter_value(key=key, window=window)
        if value >= limit:
            raise LoginThrottled(wait=remaining)


def login_failure_register(*, login_key, ip_address):
    """Засчитать неудачную попытку входа аккаунту и адресу."""
    window = settings.ACCOUNTS_LOGIN_WINDOW_SECONDS
    counter_hit(key=f"login-account:{login_key}", window=window)
    if ip_address:
        counter_hit(key=f"login-ip:{ip_address}", window=window)


def login_success_register(*, login_key):
    """Сбросить счётчик неудач аккаунта после успешного входа."""
    counter_reset(key=f"login-account:{login_key}", window=settings.ACCOUNTS_LOGIN_WINDOW_SECONDS)
