"""Задачи Celery акций: переключение скидок каталога по датам и пересчёт после правки."""

from celery import shared_task

from commerce.promotions import services


@shared_task(name="commerce.promotions.tasks.catalog_promotions_switch")
def catalog_promotions_switch():
    """Включить начавшиеся и выключить закончившиеся скидки каталога (beat, раз в минуту)."""
    return services.catalog_promotions_switch()


@shared_task(name="commerce.promotions.tasks.catalog_promotions_reapply")
def catalog_promotions_reapply():
    """Пересчитать цены каталога после правки скидки каталога в админке."""
    services.catalog_promotions_reapply()
