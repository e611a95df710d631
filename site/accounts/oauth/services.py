"""Сценарии входа через соцсети: старт OAuth, завершение, Telegram, привязка и отвязка.

Правила привязки (защита от захвата аккаунта заранее — «pre-hijacking»):

* аккаунт провайдера уже привязан → вход в его пользователя;
* иначе к существующему пользователю присоединяемся, только если провайдер явно подтвердил
  e-mail (или телефон) **и** этот пользователь сам подтвердил тот же контакт у нас;
  неподтверждённый с любой стороны контакт никогда не ведёт в чужой аккаунт;
* иначе создаётся новый пользователь; контакт провайдера попадает в профиль, только если
  он ни за кем не числится, и подтверждённым — только если его подтвердил провайдер;
* привязать соцсеть к своему аккаунту можно из личного кабинета (state с целью «link»
  хранит, кто начал привязку, — завершить её может только он);
* отвязать можно, только если останется другой способ войти (пароль с подтверждённым
  e-mail, телефон для входа по SMS или другая соцсеть).

Запросы к провайдеру идут до транзакции: соединение с базой не держится, пока ждём ответ.
"""

import logging
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound

from accounts import limits, selectors
from accounts.exceptions import AccountDisabled
from accounts.models import User
from accounts.oauth import state as oauth_state
from accounts.oauth.config import redirect_uris_allowed
from accounts.oauth.exceptions import (
    OAuthThrottled,
    ProviderUnknown,
    RedirectUriNotAllowed,
    SocialAccountLastLogin,
    SocialAccountProviderLinked,
    SocialAccountTaken,
    StateInvalid,
)
from accounts.oauth.models import OAuthProviderSetting, SocialAccount
from accounts.oauth.providers import oauth_provider_get, telegram_config
from accounts.oauth.selectors import social_account_get_by_uid
from accounts.oauth.telegram import telegram_auth_verify
from core.client_ip import client_ip_limit_key
from core.crypto import secrets_rotate
from core.redirect_urls import UnsafeRedirectUrl, redirect_url_validate

logger = logging.getLogger(__name__)


# --- Лимиты и адрес возврата ----------------------------------------------------------------------


def oauth_attempt_allow(*, ip_address):
    """Засчитать попытку входа через соцсети с адреса (IPv6 — сеть /64). Raises: OAuthThrottled."""
    if not ip_address:
        return
    network = client_ip_limit_key(ip_address)
    value, remaining = limits.counter_hit(key=f"oauth-ip:{network}", window=limits.HOUR)
    if value > settings.OAUTH_LIMIT_IP_PER_HOUR:
        raise OAuthThrottled(wait=remaining)


def redirect_uri_check(*, redirect_uri, region=None):
    """Проверить адрес возврата и вернуть его в разобранном браузером виде.

    Адрес должен совпасть целиком (схема, хост, порт, путь) с одним из разрешённых в регионе
    запроса: OAUTH_REDIRECT_URIS (все регионы) и адреса из админки (все регионы и этот) —
    так же строго, как его сверяют VK ID и Яндекс. Пустой список запрещает вход через OAuth.

    Raises:
        RedirectUriNotAllowed.
    """
    allowed = set()
    for entry in redirect_uris_allowed(region):
        try:
            allowed.add(redirect_url_validate(entry.strip(), allowed_hosts=()))
        except UnsafeRedirectUrl:
            logger.warning("Адрес возврата %r не разобрать, пропущен", entry)
    try:
        normalized = redirect_url_validate(redirect_uri, allowed_hosts=())
    except UnsafeRedirectUrl as error:
        raise RedirectUriNotAllowed() from error
    if normalized not in allowed:
        raise RedirectUriNotAllowed()
    return normalized


# --- Старт и завершение OAuth -----------------------------------------------------------------------


def oauth_start(*, provider_code, redirect_uri, ip_address=None, user=None, region=None):
    """Начать вход (или привязку, если передан ``user``) через провайдера OAuth.

    Returns:
        dict ``authorize_url`` (куда отправить браузер) и ``state`` (витрина сверит его на возврате).
    Raises:
        ProviderUnknown, RedirectUriNotAllowed, OAuthThrottled.
    """
    oauth_attempt_allow(ip_address=ip_address)
    provider = oauth_provider_get(provider_code, region=region)
    redirect = redirect_uri_check(redirect_uri=redirect_uri, region=region)
    state, record = oauth_state.oauth_state_issue(
        provider=provider.code,
        redirect_uri=redirect,
        purpose=oauth_state.PURPOSE_LINK if user is not None else oauth_state.PURPOSE_LOGIN,
        user_id=user.pk if user is not None else None,
    )
    authorize_url = provider.authorize_url(
        state=state, code_challenge=oauth_state.pkce_challenge(record.code_verifier), redirect_uri=redirect
    )
    return {"authorize_url": authorize_url, "state": state}


def _profile_fetch(*, provider_code, code, state, device_id, ip_address, user, region):
    """Проверить state (одноразово) и получить профиль пользователя у провайдера."""
    oauth_attempt_allow(ip_address=ip_address)
    provider = oauth_provider_get(provider_code, region=region)
    record = oauth_state.oauth_state_consume(state=state)
    if record is None or record.provider != provider.code:
        raise StateInvalid()
    expected_purpose = oauth_state.PURPOSE_LINK if user is not None else oauth_state.PURPOSE_LOGIN
    if record.purpose != expected_purpose or (user is not None and record.user_id != user.pk):
        raise StateInvalid()
    return provider.code, provider.profile_fetch(
        code=code,
        state=state,
        code_verifier=record.code_verifier,
        redirect_uri=record.redirect_uri,
        device_id=device_id or "",
    )


def oauth_complete(*, provider_code, code, state, device_id="", ip_address=None, region=None):
    """Завершить вход через провайдера OAuth: код → токен → пользователь у нас.

    Returns:
        пару (пользователь, создан ли он сейчас).
    Raises:
        ProviderUnknown, StateInvalid, PayloadInvalid, CodeInvalid, ProviderUnavailable,
        OAuthThrottled, AccountDisabled.
    """
    provider, profile = _profile_fetch(
        provider_code=provider_code,
        code=code,
        state=state,
        device_id=device_id,
        ip_address=ip_address,
        user=None,
        region=region,
    )
    return social_login(provider=provider, profile=profile)


def oauth_link_complete(*, user, provider_code, code, state, device_id="", ip_address=None, region=None):
    """Завершить привязку провайдера OAuth к аккаунту ``user``. Returns: SocialAccount."""
    provider, profile = _profile_fetch(
        provider_code=provider_code,
        code=code,
        state=state,
        device_id=device_id,
        ip_address=ip_address,
        user=user,
        region=region,
    )
    return social_account_link(user=user, provider=provider, profile=profile)


def telegram_complete(*, fields, ip_address=None, region=None):
    """Войти через Telegram Login Widget. Returns: пару (пользователь, создан ли он сейчас)."""
    oauth_attempt_allow(ip_address=ip_address)
    profile = telegram_auth_verify(fields, bot_token=_telegram_bot_token(region=region))
    return social_login(provider=SocialAccount.Provider.TELEGRAM, profile=profile)


def telegram_link(*, user, fields, ip_address=None, region=None):
    """Привязать Telegram к аккаунту ``user``. Returns: SocialAccount."""
    oauth_attempt_allow(ip_address=ip_address)
    profile = telegram_auth_verify(fields, bot_token=_telegram_bot_token(region=region))
    return social_account_link(user=user, provider=SocialAccount.Provider.TELEGRAM, profile=profile)


def _telegram_bot_token(*, region):
    """Токен бота Telegram в регионе запроса. Raises: ProviderUnknown — вход через Telegram выключен."""
    config = telegram_config(region=region)
    if config is None:
        raise ProviderUnknown()
    return config.client_secret


# --- Привязка ---------------------------------------------------------------------------------------


def _account_fields(profile):
    return {
        "email": profile.email,
        "email_verified": profile.email_verified,
        "phone": profile.phone,
        "phone_verified": profile.phone_verified,
        "display_name": profile.display_name,
        "avatar_url": profile.avatar_url,
    }


def _verified_owner(*, provider, profile):
    """Найти единственного пользователя, у которого тот же контакт подтверждён и у нас, и провайдером."""
    candidates = set()
    if profile.email and profile.email_verified:
        owner = selectors.user_get_by_email(email=profile.email)
        if owner is not None and owner.email_verified:
            candidates.add(owner)
    if profile.phone and profile.phone_verified:
        owner = selectors.user_get_by_phone(phone=profile.phone)
        if owner is not None and owner.phone_verified:
            candidates.add(owner)
    if len(candidates) != 1:
        # Никого — или e-mail и телефон ведут к разным людям: сливать нельзя ни с кем.
        return None
    owner = candidates.pop()
    if SocialAccount.objects.filter(user=owner, provider=provider).exists():
        # У владельца уже другой аккаунт этого провайдера: второй не присоединяем молча.
        return None
    return owner


def _profile_fill(*, user, profile):
    """Дописать в профиль пустые имя, e-mail и телефон из данных провайдера.

    Контакт записывается, только если он ни за кем не числится; подтверждённым — только
    если его подтвердил провайдер. Занятый контакт остаётся лишь в SocialAccount.
    """
    changed = []
    if not user.first_name and profile.first_name:
        user.first_name, changed = profile.first_name, [*changed, "first_name"]
    if not user.last_name and profile.last_name:
        user.last_name, changed = profile.last_name, [*changed, "last_name"]
    if not user.email and profile.email and selectors.user_get_by_email(email=profile.email) is None:
        user.email, user.email_verified = profile.email, profile.email_verified
        changed += ["email", "email_verified"]
    if not user.phone and profile.phone and selectors.user_get_by_phone(phone=profile.phone) is None:
        user.phone, user.phone_verified = profile.phone, profile.phone_verified
        changed += ["phone", "phone_verified"]
    if not changed:
        return
    try:
        with transaction.atomic():
            user.save(update_fields=changed)
    except IntegrityError:
        # Параллельный запрос занял тот же e-mail или телефон: профиль заполним без контактов.
        user.refresh_from_db()
        names = [name for name in changed if name in ("first_name", "last_name")]
        for name in names:
            setattr(user, name, getattr(profile, name))
        if names:
            user.save(update_fields=names)


def _user_create(*, profile):
    user = User(username=f"u{uuid.uuid4().hex[:20]}")
    user.set_unusable_password()
    user.save()
    _profile_fill(user=user, profile=profile)
    return user


@transaction.atomic
def social_login(*, provider, profile):
    """Найти или создать пользователя по профилю провайдера (правила — в начале модуля).

    Returns:
        пару (пользователь, создан ли он сейчас).
    Raises:
        AccountDisabled: пользователь заблокирован или удалён.
    """
    now = timezone.now()
    account = social_account_get_by_uid(provider=provider, uid=profile.uid)
    if account is not None:
        if not account.user.is_active:
            raise AccountDisabled()
        for name, value in _account_fields(profile).items():
            setattr(account, name, value)
        account.last_login_at = now
        account.save()
        return account.user, False
    owner = _verified_owner(provider=provider, profile=profile)
    if owner is not None and not owner.is_active:
        raise AccountDisabled()
    user = owner or _user_create(profile=profile)
    try:
        with transaction.atomic():
            SocialAccount.objects.create(
                user=user, provider=provider, uid=profile.uid, last_login_at=now, **_account_fields(profile)
            )
    except IntegrityError:
        # Параллельный первый вход того же аккаунта успел его привязать: входим туда же,
        # а наш только что созданный пользователь откатится вместе с транзакцией.
        existing = social_account_get_by_uid(provider=provider, uid=profile.uid)
        if existing is None or not existing.user.is_active:
            raise StateInvalid() from None
        transaction.set_rollback(True)
        return existing.user, False
    if owner is not None:
        logger.info("Аккаунт %s присоединён к пользователю %s по подтверждённому контакту", provider, owner.pk)
    return user, owner is None


@transaction.atomic
def social_account_link(*, user, provider, profile):
    """Привязать аккаунт провайдера к пользователю из личного кабинета.

    Raises:
        SocialAccountTaken: этот аккаунт провайдера уже принадлежит другому пользователю.
        SocialAccountProviderLinked: у пользователя уже привязан другой аккаунт этого провайдера.
    """
    existing = social_account_get_by_uid(provider=provider, uid=profile.uid)
    if existing is not None:
        if existing.user_id != user.pk:
            raise SocialAccountTaken()
        for name, value in _account_fields(profile).items():
            setattr(existing, name, value)
        existing.save()
        return existing
    if SocialAccount.objects.filter(user=user, provider=provider).exists():
        raise SocialAccountProviderLinked()
    try:
        with transaction.atomic():
            account = SocialAccount.objects.create(
                user=user, provider=provider, uid=profile.uid, **_account_fields(profile)
            )
    except IntegrityError as error:
        raise SocialAccountTaken() from error
    _profile_fill(user=user, profile=profile)
    return account


# --- Отвязка ----------------------------------------------------------------------------------------


def user_login_methods_count(*, user):
    """Сколько способов войти есть у пользователя: соцсети, SMS на телефон, пароль с подтверждённым e-mail."""
    count = SocialAccount.objects.filter(user=user).count()
    if user.phone:
        count += 1  # вход по SMS-коду работает для любого телефона аккаунта
    if user.has_usable_password() and user.email and user.email_verified:
        count += 1
    return count


@transaction.atomic
def social_account_unlink(*, user, account_id):
    """Отвязать аккаунт соцсети, если останется другой способ войти.

    Строка пользователя блокируется, а остаток считается после удаления: два параллельных
    запроса не отвяжут последние две соцсети разом (второй увидит ноль и откатится).

    Raises:
        NotFound: привязки нет или она чужая (неотличимо).
        SocialAccountLastLogin: это последний способ войти.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    deleted, _details = SocialAccount.objects.filter(pk=account_id, user=locked).delete()
    if not deleted:
        raise NotFound()
    if user_login_methods_count(user=locked) == 0:
        raise SocialAccountLastLogin()


# --- Секреты провайдеров ------------------------------------------------------------------------------


def provider_secrets_rotate():
    """Перешифровать секреты провайдеров входа первым ключом INTEGRATIONS_SECRET_KEY.

    Зовёт ``manage.py integrations rotate-key`` вместе с секретами подключений: ключ общий.

    Returns:
        int — сколько записей перешифровано.
    """
    count = 0
    with transaction.atomic():
        for setting in OAuthProviderSetting.objects.select_for_update().exclude(secret_encrypted="").order_by("pk"):
            setting.secret_encrypted = secrets_rotate(setting.secret_encrypted)
            setting.save(update_fields=["secret_encrypted", "updated_at"])
            count += 1
    return count
