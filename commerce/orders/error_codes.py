"""Стабильные машинные коды ошибок оформления и заказов (на них опирается витрина).

Код объявлен один раз: «корзина пуста» — у корзины, «не хватает остатка» — у остатков.
"""

from commerce.cart.error_codes import CART_EMPTY  # noqa: F401 — оформление отвечает им же
from commerce.inventory.error_codes import STOCK_INSUFFICIENT  # noqa: F401

CART_HAS_PROBLEMS = "cart_has_problems"
CHECKOUT_CONFLICT = "checkout_conflict"
ADDRESS_NOT_FOUND = "address_not_found"
IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
IDEMPOTENCY_REQUEST_IN_PROGRESS = "idempotency_request_in_progress"
IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
ORDER_TRANSITION_NOT_ALLOWED = "order_transition_not_allowed"
ORDER_NOT_CANCELLABLE = "order_not_cancellable"
ORDER_NOT_FOUND = "order_not_found"
ORDER_TOTAL_CHANGED = "order_total_changed"
PAYMENT_METHOD_NOT_ENABLED = "payment_method_not_enabled"
PHONE_NOT_CONFIRMED = "phone_not_confirmed"
DELIVERY_METHOD_NOT_ENABLED = "delivery_method_not_enabled"
DELIVERY_CITY_NOT_SERVED = "delivery_city_not_served"
DELIVERY_ADDRESS_INCOMPLETE = "delivery_address_incomplete"
PICKUP_POINT_NOT_FOUND = "pickup_point_not_found"
ORDER_LINES_NOT_EDITABLE = "order_lines_not_editable"
ORDER_LINE_INVALID = "order_line_invalid"
