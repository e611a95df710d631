"""Сигналы заказов для интеграций (amoCRM, 1С, аналитика).

Все сигналы отправляются после фиксации транзакции (transaction.on_commit): получатель
видит заказ в базе и не может откатить его своим исключением. Получатели должны быть
быстрыми — долгую работу ставьте в Celery.

* ``order_created(sender=Order, order)`` — заказ оформлен;
* ``order_paid(sender=Order, order, payment_reference)`` — заказ оплачен (ровно один раз);
* ``order_status_changed(sender=Order, order, change)`` — любая смена статуса, включая
  создание (``change.from_status == ""``); ``change`` — запись истории OrderStatusChange.
"""

from django.dispatch import Signal

order_created = Signal()
order_paid = Signal()
order_status_changed = Signal()
