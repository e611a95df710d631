"""Стабильные машинные коды ошибок цен."""

PRICE_INVALID = "price_invalid"
