"""Доставка: способы региона, стоимость и пункты самовывоза — одно определение для витрины и заказа.

Справочник витрины (GET /api/v1/delivery/methods/), расчёт (POST /api/v1/delivery/quote/)
и оформление заказа (OrderPlacer) зовут одни и те же функции этого модуля, поэтому
``expected_total``, посчитанный витриной по расчёту, совпадает с итогом заказа.

Правила способа берутся из строк RegionDeliveryMethod региона (Wagtail admin). Регион, для
которого не заведено ни одной строки, получает способы по умолчанию из ORDERS_DELIVERY_RULES
(так работает магазин «из коробки»); как только у региона есть строки, действуют только
включённые из них. Справочник читает всё за один запрос, пункты самовывоза — за один
(и ещё один на наличие товаров корзины).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import F

from commerce.inventory.models import Stock, Warehouse
from commerce.orders.delivery_models import DeliveryMethod, RegionDeliveryMethod
from commerce.orders.exceptions import DeliveryCityNotServed, DeliveryMethodNotEnabled, PickupPointNotFound

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DeliveryRule:
    """Правило способа доставки в регионе."""

    method: str
    name: str
    description: str
    cost: Decimal
    free_from: Decimal | None
    cities: tuple[str, ...]
    min_days: int | None
    max_days: int | None

    def serves_city(self, city):
        """Вернуть, обслуживает ли способ город (без списка городов — весь регион)."""
        if not self.cities:
            return True
        wanted = (city or "").strip().casefold()
        return any(wanted == served.casefold() for served in self.cities)


@dataclass(frozen=True)
class DeliveryQuote:
    """Расчёт доставки для суммы товаров: стоимость и итог, который примет оформление."""

    rule: DeliveryRule
    subtotal: Decimal
    cost: Decimal
    currency: str

    @property
    def total(self):
        return (self.subtotal + self.cost).quantize(ZERO)


@dataclass(frozen=True)
class PickupPointView:
    """Пункт самовывоза: склад региона и сведения о выдаче."""

    warehouse_id: int
    code: str
    name: str
    address: str
    hours: str
    latitude: Decimal | None
    longitude: Decimal | None
    instructions: str


def _money(value):
    return Decimal(str(value)).quantize(ZERO)


def _default_rules():
    rules = []
    for method in DeliveryMethod:
        rule = settings.ORDERS_DELIVERY_RULES.get(method.value)
        if rule is None:
            continue
        free_from = rule.get("free_from")
        rules.append(
            DeliveryRule(
                method=method.value,
                name=str(method.label),
                description="",
                cost=_money(rule.get("cost", "0")),
                free_from=_money(free_from) if free_from not in (None, "") else None,
                cities=(),
                min_days=rule.get("min_days"),
                max_days=rule.get("max_days"),
            )
        )
    return rules


def _rule_from_row(row):
    return DeliveryRule(
        method=row.method,
        name=row.display_name,
        description=row.description,
        cost=_money(row.cost),
        free_from=_money(row.free_from) if row.free_from is not None else None,
        cities=tuple(row.city_list()),
        min_days=row.min_days,
        max_days=row.max_days,
    )


def delivery_rules_for_region(*, region_id):
    """Вернуть включённые способы доставки региона в порядке показа (один SQL-запрос)."""
    rows = list(RegionDeliveryMethod.objects.filter(region_id=region_id).order_by("sort_order", "method"))
    if not rows:
        return _default_rules()
    return [_rule_from_row(row) for row in rows if row.is_enabled]


def delivery_rule_get(*, region_id, method, city=""):
    """Вернуть правило способа доставки региона для города.

    Raises:
        DeliveryMethodNotEnabled: способ не включён в регионе (или неизвестен).
        DeliveryCityNotServed: способ включён, но не возит в этот город.
    """
    for rule in delivery_rules_for_region(region_id=region_id):
        if rule.method == method:
            if method != DeliveryMethod.PICKUP and not rule.serves_city(city):
                raise DeliveryCityNotServed()
            return rule
    raise DeliveryMethodNotEnabled()


def delivery_cost_calculate(*, rule, subtotal):
    """Посчитать стоимость доставки по правилу для суммы товаров subtotal.

    ``cost`` — цена доставки; начиная с ``free_from`` (если задан) доставка бесплатна.
    """
    if rule.free_from is not None and subtotal >= rule.free_from:
        return ZERO
    return rule.cost.quantize(ZERO)


def delivery_quote(*, region, method, subtotal, city="", free_delivery=False):
    """Рассчитать доставку способом method в регионе для суммы товаров subtotal.

    subtotal — товары уже со всеми скидками; free_delivery — акция дала бесплатную доставку.

    Raises:
        DeliveryMethodNotEnabled, DeliveryCityNotServed: см. delivery_rule_get.
    """
    rule = delivery_rule_get(region_id=region.pk, method=method, city=city)
    subtotal = _money(subtotal)
    return DeliveryQuote(
        rule=rule,
        subtotal=subtotal,
        cost=ZERO if free_delivery else delivery_cost_calculate(rule=rule, subtotal=subtotal),
        currency=region.currency,
    )


def _pickup_warehouses(region_id):
    return (
        Warehouse.objects.filter(region_id=region_id, is_active=True)
        .exclude(pickup_point__is_enabled=False)
        .select_related("pickup_point")
        .order_by("sort_order", "code")
    )


def _pickup_view(warehouse):
    point = getattr(warehouse, "pickup_point", None)
    return PickupPointView(
        warehouse_id=warehouse.pk,
        code=warehouse.code,
        name=warehouse.name,
        address=warehouse.address,
        hours=point.hours if point else "",
        latitude=point.latitude if point else None,
        longitude=point.longitude if point else None,
        instructions=point.instructions if point else "",
    )


def pickup_points_for_region(*, region_id):
    """Вернуть пункты самовывоза региона: активные склады, кроме выключенных для выдачи (один запрос)."""
    return [_pickup_view(warehouse) for warehouse in _pickup_warehouses(region_id)]


def pickup_point_get(*, region_id, warehouse_id):
    """Вернуть склад самовывоза региона по id.

    Raises:
        PickupPointNotFound: склада нет, он чужого региона, не активен или не выдаёт заказы.
    """
    warehouse = _pickup_warehouses(region_id).filter(pk=warehouse_id).first() if warehouse_id else None
    if warehouse is None:
        raise PickupPointNotFound()
    return warehouse


def pickup_availability(*, warehouse_ids, variant_ids):
    """Вернуть {id склада: {id варианта: доступно}} — сколько штук можно забрать в каждом пункте."""
    result = {warehouse_id: {} for warehouse_id in warehouse_ids}
    if not warehouse_ids or not variant_ids:
        return result
    rows = Stock.objects.filter(warehouse_id__in=warehouse_ids, variant_id__in=variant_ids).values_list(
        "warehouse_id", "variant_id", F("quantity") - F("reserved")
    )
    for warehouse_id, variant_id, available in rows:
        if available > 0:
            result[warehouse_id][variant_id] = available
    return result
