"""Способы оплаты заказа, включённые в регионе: интерфейс заказов, который заполняют платежи.

Оформление спрашивает, принимает ли регион способ оплаты, а платежи сами меняют статус заказа
через его сервисы. Импорт платежей отсюда был бы циклом приложений (orders ↔ payments), поэтому
платежи регистрируют здесь свою функцию в PaymentsConfig.ready() — как заказы регистрируют
подсчёт заказов покупателя в акциях (commerce.promotions.customers). Без неё (приложение платежей
не установлено) ни один способ оплаты не включён, и оформление отвечает 400 payment_method_not_enabled.
"""

from commerce.orders.models import PaymentMethod

_source = None


def payment_methods_source_register(function):
    """Зарегистрировать источник способов оплаты региона.

    Args:
        function: function(*, region_id) -> set[str] — значения PaymentMethod, для которых в
            регионе включён подходящий провайдер. Один запрос к базе на вызов.
    """
    global _source
    _source = function


def payment_methods_for_region(*, region_id):
    """Способы оплаты заказа, включённые в регионе (есть подходящий провайдер), в порядке PaymentMethod."""
    enabled = _source(region_id=region_id) if _source is not None else set()
    return [method for method in PaymentMethod if method in enabled]
