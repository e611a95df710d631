"""Сценарии аккаунтов: регистрация, вход, коды, профиль, адреса, согласия, удаление.

Каждая функция — с ключевыми аргументами и в транзакции там, где пишет больше одной строки.
Ошибки — исключения из accounts.exceptions: API переводит их в ответы с кодами.

Токены выдаёт только :func:`token_pair_issue`: любой способ входа (код по SMS, пароль,
в будущем VK ID или Яндекс ID) сначала находит или создаёт пользователя, затем
вызывает её — так все способы получают одну и ту же пару JWT.
"""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import codes, error_codes, limits, selectors
from accounts.exceptions import (
    AccountDeleteCodeRequired,
    AccountDeleteLoginRequired,
    AccountDeleteNoContact,
    AccountDisabled,
    CodeInvalid,
    EmailDeliveryFailed,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    PhoneTaken,
    SmsDeliveryFailed,
    TokenInvalid,
    WrongPassword,
)
from accounts.models import Address, ConsentEvent, User
from core.sms import SmsDeliveryError, sms_send

# Утверждение JWT с id семейства refresh-токенов (см. token_refresh).
TOKEN_FAMILY_CLAIM = "fam"  # noqa: S105 — имя утверждения JWT, не пароль
logger = logging.getLogger(__name__)


# --- Токены -------------------------------------------------------------------------------------


def token_pair_issue(*, user):
    """Выдать пару JWT (access, refresh) пользователю, уже прошедшему проверку.

    Точка расширения для новых способов входа (OAuth-провайдеры): они вызывают её
    после того, как нашли или создали пользователя.

    Returns:
        dict с ключами ``access`` и ``refresh``.
    Raises:
        AccountDisabled: пользователь заблокирован или удалён.
    """
    if not user.is_active:
        raise AccountDisabled()
    refresh = RefreshToken.for_user(user)
    # Семейство — все refresh, полученные обменом из этого входа; его id — jti первого токена.
    refresh[TOKEN_FAMILY_CLAIM] = refresh["jti"]
    update_last_login(None, user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_refresh(*, refresh):
    """Обменять refresh-токен на новую пару; повтор уже обменянного отзывает всё его семейство.

    Обменянный refresh попадает в чёрный список. Если его предъявили снова, значит, им
    пользуются двое — владелец и тот, кто его украл; кто из них первым получил новую пару,
    неизвестно, поэтому отзываются все потомки этого входа (семейство — по утверждению
    ``fam``), и обоим придётся войти заново. Другие входы (устройства) пользователя целы.

    Raises:
        TokenInvalid: токен повреждён, истёк, отозван или владелец заблокирован.
    """
    serializer = TokenRefreshSerializer(data={"refresh": refresh})
    try:
        serializer.is_valid(raise_exception=True)
    except TokenError as error:
        _token_family_revoke_on_reuse(refresh)
        raise TokenInvalid() from error
    except AuthenticationFailed as error:
        # Владелец токена удалён или заблокирован.
        raise TokenInvalid() from error
    return serializer.validated_data


def _token_family_revoke_on_reuse(refresh):
    """Если подписанный нами refresh уже в чёрном списке, отозвать всё его семейство."""
    try:
        payload = token_backend.decode(refresh, verify=True)
    except TokenBackendError:
        return  # подделка или истёкший токен — отзывать нечего
    family = payload.get(TOKEN_FAMILY_CLAIM)
    if not family or not BlacklistedToken.objects.filter(token__jti=payload.get("jti")).exists():
        return
    revoked = 0
    members = OutstandingToken.objects.filter(user_id=payload.get("user_id"), blacklistedtoken__isnull=True)
    for token in members.only("id", "jti", "token"):
        if token.jti == family or token_backend.decode(token.token, verify=False).get(TOKEN_FAMILY_CLAIM) == family:
            BlacklistedToken.objects.get_or_create(token=token)
            revoked += 1
    logger.warning("Повтор обменянного refresh-токена: семейство %s отозвано (%d токенов)", family, revoked)


def token_blacklist(*, refresh):
    """Отозвать refresh-токен (выход). Raises: TokenInvalid."""
    try:
        RefreshToken(refresh).blacklist()
    except TokenError as error:
        raise TokenInvalid() from error


def user_tokens_revoke(*, user):
    """Отозвать все выданные пользователю refresh-токены (смена пароля, удаление аккаунта)."""
    for token in OutstandingToken.objects.filter(user=user):
        BlacklistedToken.objects.get_or_create(token=token)


# --- Доставка кодов -----------------------------------------------------------------------------


def _sms_code_send(*, phone, code, purpose):
    text = _("Код Megashop: %(code)s. Никому не сообщайте его.") % {"code": code}
    try:
        sms_send(phone=phone, text=text, client_id=f"{purpose}-{uuid.uuid4().hex[:16]}")
    except SmsDeliveryError as error:
        raise SmsDeliveryFailed() from error


def _email_send(*, email, subject, body):
    """Отправить письмо; недоступный почтовый сервер — 503 email_delivery_failed, а не 500."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Письмо не отправлено: %s", error.__class__.__name__)
        raise EmailDeliveryFailed() from error


def _email_code_send(*, email, code, purpose, user_id):
    """Отправить код письмом; если письмо не ушло, код уничтожается — им никто не воспользуется."""
    subjects = {
        codes.PURPOSE_EMAIL_VERIFY: _("Подтверждение e-mail в Megashop"),
        codes.PURPOSE_EMAIL_CHANGE: _("Подтверждение нового e-mail в Megashop"),
        codes.PURPOSE_PASSWORD_RESET: _("Восстановление пароля в Megashop"),
        codes.PURPOSE_ACCOUNT_DELETE: _("Подтверждение удаления аккаунта Megashop"),
    }
    minutes = settings.ACCOUNTS_CODE_TTL_SECONDS // 60
    body = _(
        "Ваш код: %(code)s\n\nКод действует %(minutes)d мин. Если вы ничего не запрашивали, просто удалите письмо."
    ) % {"code": code, "minutes": minutes}
    try:
        _email_send(email=email, subject=subjects[purpose], body=body)
    except EmailDeliveryFailed:
        codes.code_discard(purpose=purpose, user_id=user_id, target=email)
        limits.code_request_undo(target=email)
        raise


def _code_send(*, purpose, user_id, kind, target, ip_address):
    """Проверить лимиты, выпустить код и доставить его по SMS или e-mail."""
    limits.code_request_allow(target=target, ip_address=ip_address)
    code = codes.code_issue(purpose=purpose, user_id=user_id, target=target)
    if kind == "phone":
        try:
            _sms_code_send(phone=target, code=code, purpose=purpose)
        except SmsDeliveryFailed:
            codes.code_discard(purpose=purpose, user_id=user_id, target=target)
            limits.code_request_undo(target=target)
            raise
    else:
        _email_code_send(email=target, code=code, purpose=purpose, user_id=user_id)


# --- Вход по телефону ---------------------------------------------------------------------------


def phone_code_request(*, phone, ip_address):
    """Отправить код входа по SMS.

    Код отправляется всегда — есть аккаунт с этим номером или нет (первый вход его
    создаст), поэтому ответ не раскрывает, зарегистрирован ли номер.
    """
    owner = selectors.user_get_by_phone(phone=phone)
    _code_send(
        purpose=codes.PURPOSE_LOGIN,
        user_id=owner.pk if owner else codes.NO_USER,
        kind="phone",
        target=phone,
        ip_address=ip_address,
    )


@transaction.atomic
def phone_code_confirm(*, phone, code, ip_address=None):
    """Проверить код входа и вернуть пользователя; первый вход создаёт аккаунт без пароля.

    Код привязан к владельцу номера на момент запроса: если номер с тех пор перешёл
    к другому аккаунту, код недействителен.

    Returns:
        пару (пользователь, создан ли он сейчас).
    """
    owner = selectors.user_get_by_phone(phone=phone)
    codes.code_verify(
        purpose=codes.PURPOSE_LOGIN,
        user_id=owner.pk if owner else codes.NO_USER,
        target=phone,
        code=code,
        ip_address=ip_address,
    )
    if owner is not None:
        if not owner.is_active:
            raise AccountDisabled()
        if not owner.phone_verified:
            owner.phone_verified = True
            owner.save(update_fields=["phone_verified"])
        return owner, False
    user = User(username=_username_generate(), phone=phone, phone_verified=True)
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        # Параллельный запрос успел создать аккаунт с этим номером.
        raise CodeInvalid() from error
    return user, True


def _username_generate():
    return f"u{uuid.uuid4().hex[:20]}"


# --- Регистрация и вход по e-mail -----------------------------------------------------------------


def password_validate(*, password, user=None):
    """Проверить пароль валидаторами Django. Raises: ValidationError (поле password)."""
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as error:
        messages = error.messages
        raise serializers.ValidationError(
            {"password": [serializers.ErrorDetail(message, code=error_codes.PASSWORD_TOO_WEAK) for message in messages]}
        ) from error


def email_registration_start(*, email, password, first_name="", last_name="", ip_address=None):
    """Начать регистрацию по e-mail: создать аккаунт и отправить код подтверждения.

    Если адрес уже занят, аккаунт не создаётся, а владельцу адреса уходит письмо
    «вы уже зарегистрированы» — ответ API при этом тот же, что и для нового адреса.
    """
    probe = User(username=email, email=email, first_name=first_name, last_name=last_name)
    password_validate(password=password, user=probe)
    limits.code_request_allow(target=email, ip_address=ip_address)
    existing = selectors.user_get_by_email(email=email)
    if existing is not None:
        _email_send(
            email=email,
            subject=_("Вы уже зарегистрированы в Megashop"),
            body=_(
                "Кто-то (возможно, вы) пытался зарегистрироваться с этим адресом, но аккаунт уже есть. "
                "Войдите с паролем или восстановите его. Если это были не вы, ничего делать не нужно."
            ),
        )
        return
    with transaction.atomic():
        user = User(
            username=_username_generate(), email=email, first_name=first_name, last_name=last_name, email_verified=False
        )
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            return  # параллельная регистрация того же адреса: ответ тот же
    code = codes.code_issue(purpose=codes.PURPOSE_EMAIL_VERIFY, user_id=user.pk, target=email)
    _email_code_send(email=email, code=code, purpose=codes.PURPOSE_EMAIL_VERIFY, user_id=user.pk)


def email_verification_resend(*, email, ip_address=None):
    """Отправить код подтверждения e-mail ещё раз (только неподтверждённому аккаунту; ответ всегда один)."""
    limits.code_request_allow(target=email, ip_address=ip_address)
    user = selectors.user_get_by_email(email=email)
    if user is None or user.email_verified or not user.is_active:
        codes.code_issue(purpose=codes.PURPOSE_EMAIL_VERIFY, user_id=codes.NO_USER, target=email, store=False)
        return
    code = codes.code_issue(purpose=codes.PURPOSE_EMAIL_VERIFY, user_id=user.pk, target=email)
    _email_code_send(email=email, code=code, purpose=codes.PURPOSE_EMAIL_VERIFY, user_id=user.pk)


@transaction.atomic
def email_verification_confirm(*, email, code, ip_address=None):
    """Подтвердить e-mail кодом из письма и вернуть пользователя."""
    user = selectors.user_get_by_email(email=email)
    user_id = user.pk if user is not None and not user.email_verified else codes.NO_USER
    codes.code_verify(
        purpose=codes.PURPOSE_EMAIL_VERIFY, user_id=user_id, target=email, code=code, ip_address=ip_address
    )
    if user_id == codes.NO_USER:
        raise CodeInvalid()
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    return user


# Хеш для выравнивания времени ответа, когда аккаунта нет: проверка пароля идёт всегда.
_TIMING_USER = User()


def user_login(*, kind, login, password, ip_address=None):
    """Проверить e-mail или телефон и пароль, вернуть пользователя.

    Неудачи считаются и для аккаунта (по нормализованному логину, даже несуществующему),
    и для IP; ответ одинаков для «нет аккаунта» и «неверный пароль».

    Raises:
        LoginThrottled, InvalidCredentials, EmailNotVerified, AccountDisabled.
    """
    login_key = f"{kind}:{login}"
    limits.login_allow(login_key=login_key, ip_address=ip_address)
    user = selectors.user_get_by_login(kind=kind, value=login)
    if user is None:
        if not _TIMING_USER.password:
            _TIMING_USER.set_password(uuid.uuid4().hex)
        _TIMING_USER.check_password(password)
        password_ok = False
    else:
        password_ok = user.check_password(password)
    if not password_ok:
        limits.login_failure_register(login_key=login_key, ip_address=ip_address)
        raise InvalidCredentials()
    limits.login_success_register(login_key=login_key)
    if not user.is_active:
        raise AccountDisabled()
    if kind == "email" and not user.email_verified:
        raise EmailNotVerified()
    return user


# --- Пароль -------------------------------------------------------------------------------------


@transaction.atomic
def password_change(*, user, current_password, new_password):
    """Сменить пароль; у аккаунта без пароля (вход по SMS) текущий не спрашивается.

    Все прежние refresh-токены отзываются: другие устройства выйдут из аккаунта.
    """
    if user.has_usable_password() and not user.check_password(current_password or ""):
        raise WrongPassword()
    password_validate(password=new_password, user=user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user_tokens_revoke(user=user)


def password_reset_request(*, kind, login, ip_address=None):
    """Отправить код восстановления пароля на e-mail или телефон.

    Если аккаунта нет, код не отправляется, но ответ и лимиты — те же.
    """
    limits.code_request_allow(target=login, ip_address=ip_address)
    user = selectors.user_get_by_login(kind=kind, value=login)
    if user is None or not user.is_active:
        codes.code_issue(purpose=codes.PURPOSE_PASSWORD_RESET, user_id=codes.NO_USER, target=login, store=False)
        return
    code = codes.code_issue(purpose=codes.PURPOSE_PASSWORD_RESET, user_id=user.pk, target=login)
    if kind == "phone":
        try:
            _sms_code_send(phone=login, code=code, purpose=codes.PURPOSE_PASSWORD_RESET)
        except SmsDeliveryFailed:
            codes.code_discard(purpose=codes.PURPOSE_PASSWORD_RESET, user_id=user.pk, target=login)
            limits.code_request_undo(target=login)
            raise
    else:
        _email_code_send(email=login, code=code, purpose=codes.PURPOSE_PASSWORD_RESET, user_id=user.pk)


@transaction.atomic
def password_reset_confirm(*, kind, login, code, new_password, ip_address=None):
    """Установить новый пароль по коду восстановления и вернуть пользователя.

    Код доказывает владение адресом или номером, поэтому он же подтверждает их.
    """
    user = selectors.user_get_by_login(kind=kind, value=login)
    user_id = user.pk if user is not None and user.is_active else codes.NO_USER
    # Пароль проверяется всегда, есть аккаунт или нет: иначе ответы различались бы.
    password_validate(password=new_password, user=user if user_id != codes.NO_USER else None)
    codes.code_verify(
        purpose=codes.PURPOSE_PASSWORD_RESET, user_id=user_id, target=login, code=code, ip_address=ip_address
    )
    if user_id == codes.NO_USER:
        raise CodeInvalid()
    user.set_password(new_password)
    if kind == "email":
        user.email_verified = True
    else:
        user.phone_verified = True
    user.save(update_fields=["password", "email_verified", "phone_verified"])
    user_tokens_revoke(user=user)
    return user


# --- Профиль ------------------------------------------------------------------------------------


def profile_update(*, user, **fields):
    """Изменить имя и фамилию (e-mail и телефон меняются только через подтверждение)."""
    allowed = {"first_name", "last_name"}
    changed = [name for name in fields if name in allowed]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)
    return user


def email_change_request(*, user, email, ip_address=None):
    """Отправить код на новый e-mail. Занятость адреса проверяется при подтверждении."""
    _code_send(purpose=codes.PURPOSE_EMAIL_CHANGE, user_id=user.pk, kind="email", target=email, ip_address=ip_address)


@transaction.atomic
def email_change_confirm(*, user, email, code, ip_address=None):
    """Подтвердить новый e-mail кодом и записать его в профиль."""
    codes.code_verify(
        purpose=codes.PURPOSE_EMAIL_CHANGE, user_id=user.pk, target=email, code=code, ip_address=ip_address
    )
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise EmailTaken()
    user.email = email
    user.email_verified = True
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_verified"])
    except IntegrityError as error:
        raise EmailTaken() from error
    return user


def phone_change_request(*, user, phone, ip_address=None):
    """Отправить код на новый телефон."""
    _code_send(purpose=codes.PURPOSE_PHONE_CHANGE, user_id=user.pk, kind="phone", target=phone, ip_address=ip_address)


@transaction.atomic
def phone_change_confirm(*, user, phone, code, ip_address=None):
    """Подтвердить новый телефон кодом и записать его в профиль."""
    codes.code_verify(
        purpose=codes.PURPOSE_PHONE_CHANGE, user_id=user.pk, target=phone, code=code, ip_address=ip_address
    )
    if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise PhoneTaken()
    user.phone = phone
    user.phone_verified = True
    try:
        with transaction.atomic():
            user.save(update_fields=["phone", "phone_verified"])
    except IntegrityError as error:
        raise PhoneTaken() from error
    return user


# --- Согласия -----------------------------------------------------------------------------------

CONSENT_FIELDS = {
    ConsentEvent.Kind.PERSONAL_DATA: "personal_data_consent_at",
    ConsentEvent.Kind.MARKETING: "marketing_consent_at",
}


@transaction.atomic
def consents_update(*, user, ip_address=None, **granted_by_kind):
    """Дать или отозвать согласия; каждое изменение записывается в журнал ConsentEvent.

    Args:
        granted_by_kind: ``personal_data=True``, ``marketing=False`` — только меняемые.
    """
    changed_fields = []
    now = timezone.now()
    for kind, field in CONSENT_FIELDS.items():
        if kind.value not in granted_by_kind:
            continue
        granted = bool(granted_by_kind[kind.value])
        if granted == (getattr(user, field) is not None):
            continue
        setattr(user, field, now if granted else None)
        changed_fields.append(field)
        ConsentEvent.objects.create(user=user, kind=kind, granted=granted, ip_address=ip_address)
    if changed_fields:
        user.save(update_fields=changed_fields)
    return user


# --- Адреса -------------------------------------------------------------------------------------


def _address_default_clear(*, user, except_pk=None):
    Address.objects.filter(user=user, is_default=True).exclude(pk=except_pk).update(is_default=False)


@transaction.atomic
def address_create(*, user, is_default=False, **fields):
    """Добавить адрес. Первый адрес пользователя становится адресом по умолчанию."""
    # Блокировка строки пользователя упорядочивает параллельные изменения адреса по умолчанию.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if not Address.objects.filter(user=user).exists():
        is_default = True
    if is_default:
        _address_default_clear(user=user)
    return Address.objects.create(user=user, is_default=is_default, **fields)


@transaction.atomic
def address_update(*, address, **fields):
    """Изменить адрес; ``is_default=True`` снимает флаг с прежнего адреса по умолчанию.

    Снять флаг с единственного адреса по умолчанию нельзя напрямую — только выбрав другой.
    """
    User.objects.select_for_update().filter(pk=address.user_id).first()
    make_default = fields.pop("is_default", None)
    for name, value in fields.items():
        setattr(address, name, value)
    if make_default:
        _address_default_clear(user=address.user, except_pk=address.pk)
        address.is_default = True
    address.save()
    return address


@transaction.atomic
def address_delete(*, address):
    """Удалить адрес; если он был по умолчанию, им становится самый новый из оставшихся."""
    User.objects.select_for_update().filter(pk=address.user_id).first()
    user_id, was_default = address.user_id, address.is_default
    address.delete()
    if was_default:
        successor = Address.objects.filter(user_id=user_id).order_by("-created_at", "-id").first()
        if successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default"])


# --- Удаление аккаунта --------------------------------------------------------------------------


def _account_delete_target(user):
    """Вернуть, куда слать код удаления: (вид, адрес) — телефон, иначе подтверждённый e-mail."""
    if user.phone:
        return "phone", str(user.phone)
    if user.email and user.email_verified:
        return "email", user.email
    raise AccountDeleteNoContact()


def account_delete_code_request(*, user, ip_address=None):
    """Отправить код подтверждения удаления аккаунта без пароля.

    Украденный access-токен сам по себе не должен позволять стереть аккаунт: у аккаунта
    с паролем удаление подтверждается паролем, у аккаунта без пароля (вход только по SMS) —
    свежим кодом на его телефон (или подтверждённый e-mail). Лимиты — те же, что у кодов входа.

    Raises:
        AccountDeleteNoContact: ни телефона, ни подтверждённого e-mail.
    """
    kind, target = _account_delete_target(user)
    _code_send(purpose=codes.PURPOSE_ACCOUNT_DELETE, user_id=user.pk, kind=kind, target=target, ip_address=ip_address)
    return kind


def _login_is_recent(user):
    """Вернуть True, если пользователь вошёл (не обменял токен, а вошёл) не раньше порога."""
    limit = timezone.now() - timedelta(seconds=settings.ACCOUNTS_DELETE_RECENT_LOGIN_SECONDS)
    return user.last_login is not None and user.last_login >= limit


def _account_delete_confirm(*, user, password, code, ip_address):
    """Проверить, что удаление подтвердил владелец: паролем, а без пароля — кодом."""
    if user.has_usable_password():
        if not user.check_password(password or ""):
            raise WrongPassword()
        return
    if not code:
        try:
            _account_delete_target(user)
        except AccountDeleteNoContact:
            # Аккаунт только со входом через соцсеть: кода слать некуда — подтверждением служит
            # свежий вход (last_login ставит выдача пары токенов при входе, а не их обмен).
            if _login_is_recent(user):
                return
            raise AccountDeleteLoginRequired() from None
        raise AccountDeleteCodeRequired()
    _kind, target = _account_delete_target(user)
    codes.code_verify(
        purpose=codes.PURPOSE_ACCOUNT_DELETE, user_id=user.pk, target=target, code=code, ip_address=ip_address
    )


@transaction.atomic
def user_delete(*, user, password="", code="", ip_address=None):
    """Удалить аккаунт по просьбе пользователя: обезличить, но сохранить строку ради заказов.

    Стираются имя, e-mail, телефон, пароль, адреса; согласия отзываются с записью
    в журнал; все токены отзываются; вход становится невозможен. Заказы (ссылки на
    пользователя) остаются и принадлежат обезличенной записи.

    Raises:
        WrongPassword: у аккаунта есть пароль, а передан неверный.
        AccountDeleteCodeRequired: пароля нет, а код удаления не передан.
        CodeInvalid, CodeAttemptsExceeded: код удаления неверный или исчерпан.
        AccountDeleteNoContact: ни пароля, ни телефона, ни подтверждённого e-mail.
    """
    _account_delete_confirm(user=user, password=password, code=code, ip_address=ip_address)
    consents_update(user=user, ip_address=ip_address, personal_data=False, marketing=False)
    user.addresses.all().delete()
    user_tokens_revoke(user=user)
    user.username = f"deleted-{user.pk}-{uuid.uuid4().hex[:8]}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.phone = None
    user.email_verified = False
    user.phone_verified = False
    user.is_active = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    logger.info("Аккаунт %s удалён по просьбе пользователя и обезличен", user.pk)
