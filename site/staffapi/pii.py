"""Маскирование персональных данных покупателя (152-ФЗ): что видно без права accounts.view_customer_pii."""

PII_PERMISSION = "accounts.view_customer_pii"


def mask_email(value):
    """«ivan.petrov@mail.ru» → «i***@mail.ru»; пустое — пустое."""
    if not value:
        return ""
    local, _at, domain = str(value).partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_phone(value):
    """«+79161234567» → «+7916*****67»: код оператора и две последние цифры."""
    if not value:
        return ""
    text = str(value)
    return text[:5] + "*" * max(len(text) - 7, 0) + text[-2:] if len(text) > 7 else "***"


def mask_name(value):
    """«Иван» → «И.»."""
    return f"{value[:1]}." if value else ""
