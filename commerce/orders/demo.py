"""Демонстрационная доставка для `manage.py seed_demo`: способы с ценами и сроками, пункты самовывоза.

Без строк RegionDeliveryMethod регион получает способы по умолчанию (ORDERS_DELIVERY_RULES) —
магазин работает, но в админке «Способы доставки регионов» пусто и не видно, что правила у
регионов свои. Здесь у каждого демо-региона свои цена курьера, порог бесплатной доставки и
сроки, а у склада — часы выдачи, координаты и как найти. Идемпотентно: уже заведённые строки
(в том числе изменённые в админке) не трогаются.
"""

from decimal import Decimal

from commerce.inventory.models import Warehouse
from commerce.orders.delivery_models import DeliveryMethod, PickupPoint, RegionDeliveryMethod
from regions.models import Region

# регион → [(способ, название, описание, стоимость, бесплатно от, срок от, срок до)]
DEMO_DELIVERY = {
    "msk": [
        (DeliveryMethod.COURIER, "Курьер по Москве", "Привезём в удобный интервал.", "300", "5000", 1, 2),
        (DeliveryMethod.PICKUP, "Самовывоз со склада", "Заказ готов к выдаче через 2 часа.", "0", None, 0, 1),
        (DeliveryMethod.POST, "Почта России", "По всей Московской области.", "400", None, 3, 7),
    ],
    "spb": [
        (DeliveryMethod.COURIER, "Курьер по Петербургу", "Доставка в пределах КАД.", "350", "6000", 1, 3),
        (DeliveryMethod.PICKUP, "Самовывоз с Невского", "", "0", None, 0, 1),
        (DeliveryMethod.POST, "Почта России", "По Ленинградской области.", "400", None, 4, 8),
    ],
    "kzn": [
        (DeliveryMethod.COURIER, "Курьер по Казани", "", "250", "4000", 1, 2),
        (DeliveryMethod.PICKUP, "Самовывоз на Баумана", "Заказ готов через час после оформления.", "0", None, 0, 1),
    ],
}
# склад → (часы, широта, долгота, как найти)
DEMO_PICKUP = {
    "msk-main": ("ежедневно 10–21", "55.757600", "37.613500", "Вход со двора, звонок «Выдача заказов»."),
    "spb-main": ("ежедневно 10–22", "59.935900", "30.325700", "Второй этаж, стойка выдачи справа от лифта."),
    "kzn-main": ("пн–сб 9–20", "55.787900", "49.122100", "Первый этаж торгового центра, у входа."),
}


def seed_delivery(*, stdout):
    """Завести способы доставки демо-регионам и сведения о выдаче их складам (только недостающие)."""
    regions = Region.objects.filter(code__in=DEMO_DELIVERY, is_active=True)
    methods = 0
    for region in regions:
        for sort_order, (method, name, description, cost, free_from, min_days, max_days) in enumerate(
            DEMO_DELIVERY[region.code]
        ):
            _row, created = RegionDeliveryMethod.objects.get_or_create(
                region=region,
                method=method,
                defaults={
                    "name": name,
                    "description": description,
                    "cost": Decimal(cost),
                    "free_from": Decimal(free_from) if free_from else None,
                    "min_days": min_days,
                    "max_days": max_days,
                    "sort_order": sort_order,
                },
            )
            methods += created
    points = 0
    for warehouse in Warehouse.objects.filter(code__in=DEMO_PICKUP):
        hours, latitude, longitude, instructions = DEMO_PICKUP[warehouse.code]
        _point, created = PickupPoint.objects.get_or_create(
            warehouse=warehouse,
            defaults={
                "hours": hours,
                "latitude": Decimal(latitude),
                "longitude": Decimal(longitude),
                "instructions": instructions,
            },
        )
        points += created
    if methods or points:
        stdout.write(f"Доставка: способов заведено {methods}, пунктов самовывоза {points}.")
