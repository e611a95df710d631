"""Стабильные машинные коды ошибок остатков."""

STOCK_INSUFFICIENT = "stock_insufficient"
QUANTITY_INVALID = "quantity_invalid"
