"""Стабильные машинные коды ошибок API аккаунтов.

Витрина опирается на эти строки: менять их — ломать контракт API.
"""

# Одноразовые коды
CODE_INVALID = "code_invalid"  # код неверный, истёк или не запрашивался — намеренно не различаем
CODE_ATTEMPTS_EXCEEDED = "code_attempts_exceeded"  # исчерпаны попытки ввода, код больше не действует
CODE_RESEND_TOO_SOON = "code_resend_too_soon"  # новый код можно запросить позже (retry_after)
CODE_REQUEST_LIMIT = "code_request_limit"  # превышен часовой или суточный потолок запросов кода
SMS_DELIVERY_FAILED = "sms_delivery_failed"  # шлюз не принял SMS
EMAIL_DELIVERY_FAILED = "email_delivery_failed"  # почтовый сервер не принял письмо

# Вход и регистрация
INVALID_CREDENTIALS = "invalid_credentials"  # неверные логин или пароль (или аккаунта нет)
LOGIN_THROTTLED = "login_throttled"  # слишком много неудачных попыток входа
EMAIL_NOT_VERIFIED = "email_not_verified"  # пароль верный, но e-mail ещё не подтверждён
ACCOUNT_DISABLED = "account_disabled"  # аккаунт заблокирован администратором

# Токены
TOKEN_INVALID = "token_invalid"  # noqa: S105 — JWT повреждён, истёк или отозван

# Профиль
EMAIL_TAKEN = "email_taken"  # подтверждённый e-mail уже принадлежит другому аккаунту
PHONE_TAKEN = "phone_taken"  # подтверждённый телефон уже принадлежит другому аккаунту
INVALID_PHONE = "invalid_phone"  # номер не распознан или не мобильный
ACCOUNT_DELETE_CODE_REQUIRED = "account_delete_code_required"  # у аккаунта без пароля удаление — по свежему коду
ACCOUNT_DELETE_NO_CONTACT = "account_delete_no_contact"  # ни пароля, ни телефона, ни подтверждённого e-mail
ACCOUNT_DELETE_LOGIN_REQUIRED = "account_delete_login_required"  # без пароля и контактов — только сразу после входа
WRONG_PASSWORD = "wrong_password"  # noqa: S105 — неверный текущий пароль (смена пароля, удаление аккаунта)
PASSWORD_TOO_WEAK = "password_too_weak"  # noqa: S105 — пароль не прошёл валидаторы Django
