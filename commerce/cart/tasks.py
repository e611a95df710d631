"""Фоновые задачи корзины."""

from celery import shared_task

from commerce.cart import services


@shared_task(name="commerce.cart.tasks.cart_anonymous_purge")
def cart_anonymous_purge():
    """Удалить давно брошенные анонимные корзины (идемпотентно)."""
    return services.cart_anonymous_purge()
