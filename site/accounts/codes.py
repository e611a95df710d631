"""Одноразовые коды подтверждения (SMS и e-mail).

Код — 6 цифр из ``secrets``. В кэше (Redis) хранится только HMAC от кода, связанный
с назначением, пользователем и целевым значением (телефон или e-mail): код на смену
телефона на X не подтвердит Y и не войдёт в аккаунт. Срок жизни, число попыток и
одноразовость обеспечиваются здесь; частоту отправки ограничивает accounts.limits.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import limits
from accounts.exceptions import CodeAttemptsExceeded, CodeInvalid
from core.client_ip import client_ip_limit_key

PURPOSE_LOGIN = "login"
PURPOSE_EMAIL_VERIFY = "email_verify"
PURPOSE_EMAIL_CHANGE = "email_change"
PURPOSE_PHONE_CHANGE = "phone_change"
PURPOSE_PASSWORD_RESET = "password_reset"  # noqa: S105 — назначение кода, не пароль
PURPOSE_ACCOUNT_DELETE = "account_delete"
PURPOSES = (
    PURPOSE_LOGIN,
    PURPOSE_EMAIL_VERIFY,
    PURPOSE_EMAIL_CHANGE,
    PURPOSE_PHONE_CHANGE,
    PURPOSE_PASSWORD_RESET,
    PURPOSE_ACCOUNT_DELETE,
)
CODE_LENGTH = 6
# Пользователь «ещё не существует» (первый вход по телефону, сброс для неизвестного адреса).
NO_USER = 0


def _keys(*, purpose, user_id, target):
    if purpose not in PURPOSES:
        raise ValueError(f"Неизвестное назначение кода: {purpose!r}")
    base = f"otp:{purpose}:{user_id or NO_USER}:{target}"
    return base, f"{base}:attempts"


def _attempts_key(attempts_base, ip_address):
    """Счётчик попыток кода с одного адреса (IPv6 — с сети /64).

    Попытки считаются по паре (код, адрес): чужой, исчерпав свои попытки, гасит код только
    для своего адреса, а владелец с другого адреса вводит его как обычно. Перебор с многих
    адресов ограничивает общий потолок ACCOUNTS_CODE_MAX_ATTEMPTS_TOTAL.
    """
    return f"{attempts_base}:{client_ip_limit_key(ip_address)}"


def _digest(*, purpose, user_id, target, code):
    return salted_hmac(
        f"accounts.codes.{purpose}", f"{user_id or NO_USER}:{target}:{code}", algorithm="sha256"
    ).hexdigest()


def code_generate():
    """Сгенерировать код из 6 цифр криптографически стойким генератором."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def code_issue(*, purpose, user_id, target, store=True):
    """Выпустить новый код для (назначение, пользователь, цель) и вернуть его.

    Прежний код той же тройки перестаёт действовать. У каждого кода своё поколение
    (случайная метка), и счётчики попыток ключуются им: новый код начинает с нуля на всех
    адресах. ``store=False`` — только отозвать прежний код, не сохраняя новый (запрос для
    несуществующего аккаунта ведёт себя так же, как для существующего).
    """
    record_key, _attempts_base = _keys(purpose=purpose, user_id=user_id, target=target)
    ttl = settings.ACCOUNTS_CODE_TTL_SECONDS
    code = code_generate()
    if store:
        record = {
            "digest": _digest(purpose=purpose, user_id=user_id, target=target, code=code),
            "expires_at": limits.current_timestamp() + ttl,
            "generation": secrets.token_hex(8),
        }
        cache.set(record_key, record, timeout=ttl)
    else:
        cache.delete(record_key)
    return code


def code_discard(*, purpose, user_id, target):
    """Отозвать код (например, если его не удалось доставить)."""
    record_key, _attempts_key = _keys(purpose=purpose, user_id=user_id, target=target)
    cache.delete(record_key)


def _attempt_count(key, ttl):
    cache.add(key, 0, timeout=ttl)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=ttl)
        return 1


def code_verify(*, purpose, user_id, target, code, ip_address=None):
    """Проверить и погасить код.

    Каждая попытка считается, даже если кода нет: так «кода нет» неотличимо от
    «код неверный» и по ответам нельзя узнать, существует ли аккаунт. Попытки считаются по
    адресу (IPv6 — по сети /64): после ACCOUNTS_CODE_MAX_ATTEMPTS неверных попыток с одного
    адреса этот адрес получает «попытки исчерпаны», но код остаётся у владельца на другом
    адресе. Код уничтожается совсем после ACCOUNTS_CODE_MAX_ATTEMPTS_TOTAL неверных попыток
    со всех адресов — так перебор с многих адресов не проходит. Отдельно каждый адрес
    ограничен по числу попыток в час на все номера (limits.code_confirm_allow).

    Raises:
        CodeInvalid: код неверный, истёк, уже использован или не выпускался.
        CodeAttemptsExceeded: попытки исчерпаны (для этого адреса или для кода).
        CodeRequestLimit: с адреса слишком много попыток в час.
    """
    limits.code_confirm_allow(ip_address=ip_address)
    record_key, attempts_base = _keys(purpose=purpose, user_id=user_id, target=target)
    max_attempts = settings.ACCOUNTS_CODE_MAX_ATTEMPTS
    ttl = settings.ACCOUNTS_CODE_TTL_SECONDS
    record = cache.get(record_key)
    generation = record["generation"] if record and "generation" in record else "none"
    attempts_key = _attempts_key(f"{attempts_base}:{generation}", ip_address)
    attempts = _attempt_count(attempts_key, ttl)
    if attempts > max_attempts:
        raise CodeAttemptsExceeded()
    code = (code or "").strip()
    valid = (
        record is not None
        and record["expires_at"] > limits.current_timestamp()
        and constant_time_compare(record["digest"], _digest(purpose=purpose, user_id=user_id, target=target, code=code))
    )
    # delete() возвращает True только одному из параллельных запросов: код одноразовый.
    if valid and cache.delete(record_key):
        cache.delete(attempts_key)
        return
    total = _attempt_count(f"{attempts_base}:{generation}:total", ttl)
    if total >= settings.ACCOUNTS_CODE_MAX_ATTEMPTS_TOTAL:
        cache.delete(record_key)
    if attempts >= max_attempts:
        raise CodeAttemptsExceeded()
    raise CodeInvalid()
