"""Чтения заказов: списки покупателя и менеджера, карточка, поиск для отслеживания без входа.

Списки отдают заказы со строками за постоянное число запросов (prefetch), сколько бы
заказов ни было на странице.
"""

import phonenumbers
from django.conf import settings
from django.db.models import Prefetch, Q

from commerce.catalog.selectors import list_image_specs, product_main_images
from commerce.orders.models import Order, OrderLine, OrderStatusChange, PaymentMethod
from commerce.orders.status import OrderStatus, transitions_from


def _with_details(queryset):
    return queryset.select_related("region").prefetch_related(
        # Вариант строки — ради id товара для главного изображения (order_line_images).
        Prefetch("lines", queryset=OrderLine.objects.select_related("variant").order_by("id")),
        Prefetch("history", queryset=OrderStatusChange.objects.order_by("created_at", "id")),
    )


def order_transitions_offered(*, order):
    """Вернуть переходы, которые менеджеру есть смысл предлагать для этого заказа (Wagtail admin и API сотрудников).

    Заказ с оплатой при получении не ждёт онлайн-оплаты: «ожидает оплаты» ему не предлагается
    (подтверждение такого заказа — перевод в «собирается»).
    """
    statuses = transitions_from(order.status)
    if order.payment_method == PaymentMethod.CASH_ON_DELIVERY:
        statuses = [status for status in statuses if status != OrderStatus.AWAITING_PAYMENT]
    return statuses


def payment_method_requires_confirmed_phone(*, payment_method):
    """Нужен ли для способа оплаты телефон, подтверждённый кодом из SMS (ORDERS_COD_REQUIRE_CONFIRMED_PHONE)."""
    return payment_method == PaymentMethod.CASH_ON_DELIVERY and settings.ORDERS_COD_REQUIRE_CONFIRMED_PHONE


def order_line_images(*, orders):
    """Вернуть {id товара: (ProductImage, рендишены)} для строк заказов — два запроса на любой список.

    Строки должны быть предзагружены с вариантом (_with_details).
    """
    product_ids = {
        line.variant.product_id for order in orders for line in order.lines.all() if line.variant is not None
    }
    return product_main_images(product_ids=sorted(product_ids), specs=list_image_specs())


def customer_order_count(*, user_id=None, phone=""):
    """Число неотменённых заказов покупателя: пользователя или (у гостя) по телефону контакта E.164."""
    condition = Q(user_id=user_id) if user_id is not None else Q()
    if phone:
        condition = condition | Q(contact_phone=phone) if user_id is not None else Q(contact_phone=phone)
    if not condition:
        return 0
    return Order.objects.filter(condition).exclude(status=OrderStatus.CANCELLED).count()


def order_list_for_user(*, user):
    """Заказы пользователя, новые первыми, со строками и историей."""
    return _with_details(Order.objects.filter(user=user).order_by("-created_at", "-id"))


def order_get_for_user(*, user, number):
    """Заказ пользователя по номеру или None: чужой заказ неотличим от несуществующего."""
    return _with_details(Order.objects.filter(user=user, number=number)).first()


def phone_normalize(value):
    """Привести телефон к E.164 (+79161234567) или вернуть None, если это не телефон."""
    try:
        parsed = phonenumbers.parse(str(value), "RU")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def order_find_for_tracking(*, number, phone):
    """Найти заказ по номеру и телефону покупателя (оба должны совпасть) или вернуть None."""
    normalized = phone_normalize(phone)
    if not number or normalized is None:
        return None
    order = _with_details(Order.objects.filter(number=number.strip().upper())).first()
    if order is None or phone_normalize(order.contact_phone) != normalized:
        return None
    return order


def order_get_by_token(*, token):
    """Найти заказ по секретному токену ссылки отслеживания или вернуть None."""
    if not token:
        return None
    return _with_details(Order.objects.filter(token=token)).first()
