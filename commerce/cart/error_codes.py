"""Стабильные машинные коды ошибок корзины (на них опирается витрина)."""

from commerce.inventory.error_codes import STOCK_INSUFFICIENT  # noqa: F401 — код объявлен у остатков

CART_NOT_FOUND = "cart_not_found"
CART_EMPTY = "cart_empty"
CART_TOO_MANY_LINES = "cart_too_many_lines"
CART_LINE_NOT_FOUND = "cart_line_not_found"
QUANTITY_TOO_LARGE = "quantity_too_large"
VARIANT_UNAVAILABLE = "variant_unavailable"

# Пометки строк корзины (не ошибки запроса, а состояние строки в ответе).
LINE_UNAVAILABLE = "unavailable"
LINE_NO_PRICE = "no_price"
LINE_OUT_OF_STOCK = "out_of_stock"
LINE_INSUFFICIENT_STOCK = "insufficient_stock"
