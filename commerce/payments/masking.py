"""Скрыть секреты и данные карт в данных, которые пишутся в журнал платежей."""

# Ключи, значения которых в журнал не попадают никогда (в любом регистре, на любой глубине).
SECRET_KEYS = frozenset(
    {
        "password",
        "secret",
        "secret_key",
        "authorization",
        "token",
        "confirmation_token",
        "access_token",
        "refresh_token",
        "cvc",
        "csc",
        "cvv",
        "number",
        "card_number",
        "first6",
        "expiry_month",
        "expiry_year",
    }
)
MASK = "***"


def mask_payload(data):
    """Вернуть копию data, где значения секретных ключей заменены на «***»."""
    if isinstance(data, dict):
        return {key: MASK if str(key).lower() in SECRET_KEYS else mask_payload(value) for key, value in data.items()}
    if isinstance(data, list):
        return [mask_payload(item) for item in data]
    return data
