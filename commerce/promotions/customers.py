"""Сколько заказов у покупателя — для условия «только на первый заказ».

Заказы живут в commerce.orders, который сам зовёт акции при оформлении; импорт заказов
отсюда был бы циклом приложений. Поэтому заказы регистрируют здесь свою функцию подсчёта
в OrdersConfig.ready(). Без неё (приложение заказов не установлено) заказов считается ноль.
"""

_counter = None


def order_count_provider_register(function):
    """Зарегистрировать функцию function(*, user_id, phone) -> int (число заказов покупателя)."""
    global _counter
    _counter = function


def customer_order_count(*, user_id=None, phone=""):
    """Вернуть число прежних заказов покупателя (по пользователю или телефону гостя)."""
    if _counter is None or (user_id is None and not phone):
        return 0
    return _counter(user_id=user_id, phone=phone)


def customer_key(*, user_id=None, phone=""):
    """Ключ покупателя для лимитов «на покупателя»: user:<id> или phone:<E.164>; "" — неизвестен."""
    if user_id is not None:
        return f"user:{user_id}"
    return f"phone:{phone}" if phone else ""
