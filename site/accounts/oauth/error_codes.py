"""Стабильные машинные коды ошибок входа через соцсети (контракт API для витрины)."""

PROVIDER_UNKNOWN = "oauth_provider_unknown"  # провайдера нет или он выключен на этом сайте
REDIRECT_URI_NOT_ALLOWED = "oauth_redirect_uri_not_allowed"  # адрес возврата не в списке разрешённых
STATE_INVALID = "oauth_state_invalid"  # state неизвестен, истёк, уже использован или выдан для другого входа
CODE_INVALID = "oauth_code_invalid"  # провайдер отверг код (истёк, чужой, неверный PKCE verifier)
PAYLOAD_INVALID = "oauth_payload_invalid"  # payload VK ID не разобрать или в нём нет code/state/device_id
PROVIDER_UNAVAILABLE = "oauth_provider_unavailable"  # провайдер не ответил или ответил не по протоколу (502)
THROTTLED = "oauth_throttled"  # слишком много попыток входа через соцсети с этого адреса
TELEGRAM_AUTH_INVALID = "telegram_auth_invalid"  # подпись Telegram не сошлась или поля испорчены
TELEGRAM_AUTH_EXPIRED = "telegram_auth_expired"  # auth_date устарел: данные виджета старше допустимого
SOCIAL_ACCOUNT_TAKEN = "social_account_taken"  # этот аккаунт соцсети уже привязан к другому пользователю
SOCIAL_ACCOUNT_PROVIDER_LINKED = "social_account_provider_linked"  # у пользователя уже есть аккаунт этого провайдера
SOCIAL_ACCOUNT_LAST_LOGIN = "social_account_last_login"  # отвязать нельзя: другого способа войти не останется
