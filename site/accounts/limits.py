"""Счётчики лимитов в кэше (Redis): частота запросов кодов и неудачных входов.

Окна фиксированные (час, сутки, N минут): ключ содержит номер окна, счётчик растёт
атомарным INCR в Redis, запись живёт до конца окна. Это проще скользящего окна и
для защиты от накачки SMS достаточно: за сутки не уйдёт больше 2 × лимита.
"""

import time

from django.conf import settings

from accounts.exceptions import CodeRequestLimit, CodeResendTooSoon, LoginThrottled
from core.client_ip import client_ip_limit_key
from core.redis_roles import locks_cache as cache

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


def _cooldown_key(target):
    return f"code-cooldown:{target}"


def code_request_allow(*, target, ip_address):
    """Разрешить запрос одноразового кода на номер или адрес ``target`` с адреса ``ip_address``.

    Проверяет паузу между отправками на один target и потолки в час и в сутки
    на target и на IP (IPv6 — на сеть /64). Считается каждый разрешённый запрос — есть
    аккаунт или нет, иначе по лимитам можно было бы узнать, зарегистрирован ли номер.
    Пауза ставится только запросу, прошедшему все потолки: отказ по лимиту чужого IP не
    запускает паузу номера (иначе вход любого номера можно было бы блокировать даром);
    если код затем не удалось доставить, пауза снимается (code_request_undo).

    Raises:
        CodeResendTooSoon: пауза после прошлого кода ещё не прошла.
        CodeRequestLimit: превышен часовой или суточный потолок.
    """
    resend_seconds = settings.ACCOUNTS_CODE_RESEND_SECONDS
    cooldown_key = _cooldown_key(target)
    available_at = cache.get(cooldown_key) if resend_seconds > 0 else None
    if available_at is not None:
        raise CodeResendTooSoon(wait=available_at - current_timestamp())
    network = client_ip_limit_key(ip_address) if ip_address else None
    checks = [
        (f"code-target:{target}", HOUR, settings.ACCOUNTS_CODE_LIMIT_TARGET_PER_HOUR),
        (f"code-target:{target}", DAY, settings.ACCOUNTS_CODE_LIMIT_TARGET_PER_DAY),
    ]
    if network:
        checks += [
            (f"code-ip:{network}", HOUR, settings.ACCOUNTS_CODE_LIMIT_IP_PER_HOUR),
            (f"code-ip:{network}", DAY, settings.ACCOUNTS_CODE_LIMIT_IP_PER_DAY),
        ]
    # Сначала проверить все потолки, потом считать: отказ по IP не должен съедать лимит номера.
    for key, window, limit in checks:
        value, remaining = counter_value(key=key, window=window)
        if value >= limit:
            raise CodeRequestLimit(wait=remaining)
    # add атомарен: из параллельных запросов паузу ставит и код получает только один.
    if resend_seconds > 0 and not cache.add(cooldown_key, current_timestamp() + resend_seconds, timeout=resend_seconds):
        raise CodeResendTooSoon(wait=(cache.get(cooldown_key) or current_timestamp()) - current_timestamp())
    for key, window, _limit in checks:
        counter_hit(key=key, window=window)


def code_request_undo(*, target):
    """Снять паузу на target: код не ушёл (шлюз или почта недоступны), повтор не должен ждать."""
    cache.delete(_cooldown_key(target))


def code_confirm_allow(*, ip_address):
    """Засчитать попытку ввода кода с адреса и отказать, если их слишком много.

    Предел общий для всех номеров и адресов с одного IP (IPv6 — сети /64): перебирать коды
    чужих номеров с одного адреса нельзя, а попытки с других адресов на него не влияют.

    Raises:
        CodeRequestLimit: превышен часовой потолок попыток с этого адреса.
    """
    if not ip_address:
        return
    network = client_ip_limit_key(ip_address)
    value, remaining = counter_hit(key=f"code-confirm-ip:{network}", window=HOUR)
    if value > settings.ACCOUNTS_CODE_CONFIRM_LIMIT_IP_PER_HOUR:
        raise CodeRequestLimit(wait=remaining)


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
