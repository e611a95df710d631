"""Записи заказов: оформление из корзины, смена статуса, оплата, отмена, истечение резервов.

Порядок блокировок во всех сценариях один и тот же — сначала строка корзины (только
оформление: cart.services.cart_lock_for_checkout), затем строка заказа (если заказ уже есть),
затем строки остатков строго по первичному ключу (inventory.services.stock_lock), затем (только
оформление с акциями, у которых есть лимиты) строки акций и промокода
(promotions.services.checkout_promotions_lock). Сценарии
заказа, которые заказ уже имеют (статус, оплата, отмена, истечение), корзину не блокируют,
а записи корзины не блокируют ни заказы, ни остатки. Поэтому никакие два сценария не ждут
друг друга по кругу; если база всё же сообщит о взаимной блокировке, OrderPlacer повторит
попытку, а клиент получит чистый 409, не 500.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import errors as pg_errors

from accounts import selectors as account_selectors
from commerce.cart import selectors as cart_selectors
from commerce.cart import services as cart_services
from commerce.catalog.models import Variant
from commerce.catalog.offers import product_offer_refresh_deferred
from commerce.inventory import services as inventory_services
from commerce.orders import delivery as delivery_rules
from commerce.orders import selectors as order_selectors
from commerce.orders import signals
from commerce.orders.exceptions import (
    AddressNotFound,
    CartEmpty,
    CartHasProblems,
    CheckoutConflict,
    DeliveryAddressIncomplete,
    OrderNotCancellable,
    OrderTotalChanged,
    OrderTransitionNotAllowed,
    PaymentMethodNotEnabled,
    PhoneNotConfirmed,
    StockInsufficient,
)
from commerce.orders.idempotency import idempotency_order_attach
from commerce.orders.models import (
    DeliveryMethod,
    Order,
    OrderLine,
    OrderReservation,
    OrderStatusChange,
    PaymentMethod,
    ReservationState,
)
from commerce.orders.payment_methods import payment_methods_for_region
from commerce.orders.status import (
    AWAITING_PAYMENT_STATUSES,
    CUSTOMER_CANCELLABLE,
    OrderStatus,
    transition_allowed,
)
from commerce.pricing.selectors import variant_prices_for_region_bulk
from commerce.promotions.services import (
    Customer,
    checkout_promotions_find,
    checkout_promotions_lock,
    promotions_redeem,
)

logger = logging.getLogger(__name__)

ZERO = Decimal("0.00")
ADDRESS_FIELDS = ("postal_code", "region", "city", "street", "house", "apartment", "comment")
# Ошибки PostgreSQL, после которых транзакцию оформления безопасно повторить целиком.
RETRYABLE_ERRORS = (pg_errors.DeadlockDetected, pg_errors.SerializationFailure, pg_errors.LockNotAvailable)


def gift_variants_for_sale(*, variant_ids, exclude=()):
    """Варианты-подарки акций, которые можно положить в заказ (активные, не лежащие в корзине)."""
    wanted = [pk for pk in variant_ids if pk not in set(exclude)]
    if not wanted:
        return []
    variants = (
        Variant.objects.select_related("product")
        .filter(pk__in=wanted, is_active=True, product__is_active=True)
        .order_by("pk")
    )
    return list(variants)


# --- Номер заказа ---------------------------------------------------------------------------------


def order_number_generate(*, region, now=None):
    """Сгенерировать номер вида MSK-2026-0001234: регион, год, 7 случайных цифр.

    Цифры случайные, а не порядковые: по номеру не угадать соседний заказ и не узнать
    объём продаж. Уникальность держит индекс базы; при совпадении OrderPlacer берёт новый номер.
    """
    now = timezone.localtime(now or timezone.now())
    prefix = "".join(char for char in region.code.upper() if char.isalnum())[:6] or "ORD"
    return f"{prefix}-{now.year}-{secrets.randbelow(10**7):07d}"


# --- Оформление ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Контакт покупателя для заказа."""

    name: str
    phone: str
    email: str = ""


@dataclass(frozen=True)
class Delivery:
    """Доставка: способ, склад самовывоза, сохранённый адрес пользователя или новый адрес по полям."""

    method: str
    warehouse_id: int | None = None
    address_id: int | None = None
    address: dict = field(default_factory=dict)


def _address_text(data):
    parts = [data.get(name, "") for name in ("postal_code", "region", "city", "street", "house")]
    text = ", ".join(part for part in parts if part)
    if data.get("apartment"):
        text += f", {_('кв./офис')} {data['apartment']}"
    return text


class OrderPlacer:
    """Оформить заказ из корзины в одной транзакции, не продав больше, чем есть на складе.

    Шаги: проверить способ оплаты и доставку → заблокировать строку корзины (параллельные
    оформления одной корзины идут по очереди: первое создаёт заказ и очищает корзину,
    остальные получают 409 cart_empty, какие бы Idempotency-Key они ни несли) →
    проверить корзину → заблокировать остатки региона в порядке pk →
    распределить количества по складам и зарезервировать → записать заказ со снимком цен,
    названий и артикулов, резервы и первую запись истории → очистить корзину → после
    фиксации — сигналы и уведомление. Цены берутся только из прайс-листа региона корзины:
    цены клиента не принимаются вовсе.

    Raises:
        CartEmpty, CartHasProblems, StockInsufficient (409), AddressNotFound (400),
        DeliveryMethodNotEnabled, DeliveryCityNotServed, DeliveryAddressIncomplete,
        PickupPointNotFound (400): способ доставки не включён в регионе, не возит в город адреса,
        адрес неполон, пункт самовывоза не из региона корзины,
        PaymentMethodNotEnabled (400): способ оплаты не включён в регионе корзины,
        PhoneNotConfirmed (403): оплата при получении без подтверждённого телефона
        (только при ORDERS_COD_REQUIRE_CONFIRMED_PHONE),
        CheckoutConflict (409): база трижды подряд сообщила о взаимной блокировке
        или корзина переехала в другой регион посреди оформления.
    """

    MAX_ATTEMPTS = 3

    def __init__(
        self,
        *,
        cart,
        user,
        contact,
        delivery,
        payment_method,
        comment="",
        expected_total=None,
        idempotency_record=None,
        respond=None,
        now=None,
    ):
        self.cart = cart
        # Итог, который видел покупатель: если цены или регион изменились, заказ не создаётся.
        self.expected_total = expected_total
        self.user = user
        self.contact = contact
        self.delivery = delivery
        self.payment_method = payment_method
        self.comment = comment
        self.idempotency_record = idempotency_record
        # respond(order) -> тело ответа API: собирается в транзакции и сохраняется с ключом.
        self.respond = respond
        self.response = None
        self.now = now

    def run(self):
        """Оформить заказ и вернуть его (с повтором при взаимной блокировке в базе)."""
        self._payment_method_check()
        address_data, warehouse = self._delivery_resolve()
        # Правило доставки выбрано до блокировок: стоимость считается в _place тем же правилом.
        self.delivery_rule = delivery_rules.delivery_rule_get(
            region_id=self.cart.region_id, method=self.delivery.method, city=address_data.get("city", "")
        )
        for attempt in range(1, self.MAX_ATTEMPTS + 1):
            try:
                # Предложения товаров (наличие в списке) пересчитываются один раз после COMMIT,
                # а не на каждую строку остатка, пока остатки заблокированы.
                with transaction.atomic(), product_offer_refresh_deferred():
                    return self._place(address_data=address_data, warehouse=warehouse)
            except OperationalError as error:
                if not isinstance(error.__cause__, RETRYABLE_ERRORS):
                    raise
                logger.warning("Оформление заказа: повтор %s после %s", attempt, type(error.__cause__).__name__)
            except _NumberTaken:
                logger.warning("Оформление заказа: повтор %s — случайный номер заказа уже занят", attempt)
        raise CheckoutConflict()

    def _payment_method_check(self):
        """Проверить, что способ оплаты включён в регионе и (по настройке) телефон подтверждён."""
        if self.payment_method not in payment_methods_for_region(region_id=self.cart.region_id):
            raise PaymentMethodNotEnabled()
        if order_selectors.payment_method_requires_confirmed_phone(payment_method=self.payment_method):
            # Подтверждённый телефон — у аккаунта, вошедшего по коду из SMS (accounts.services).
            user = self.user
            contact_phone = order_selectors.phone_normalize(self.contact.phone)
            if user is None or not user.phone_verified or not user.phone or user.phone.as_e164 != contact_phone:
                raise PhoneNotConfirmed()

    def _reserved_until(self, now):
        """Срок резерва: онлайн — ждёт оплаты, при получении — ждёт подтверждения менеджером."""
        if self.payment_method == PaymentMethod.ONLINE:
            return now + timedelta(minutes=settings.ORDERS_RESERVATION_MINUTES)
        hours = settings.ORDERS_COD_RESERVATION_HOURS
        return now + timedelta(hours=hours) if hours > 0 else None

    def _delivery_resolve(self):
        method = self.delivery.method
        if method == DeliveryMethod.PICKUP:
            warehouse = delivery_rules.pickup_point_get(
                region_id=self.cart.region_id, warehouse_id=self.delivery.warehouse_id
            )
            return {}, warehouse
        if self.delivery.address_id is not None:
            if self.user is None:
                raise AddressNotFound()
            address = (
                account_selectors.address_list_for_user(user=self.user).filter(pk=self.delivery.address_id).first()
            )
            if address is None:
                raise AddressNotFound()
            return {name: str(getattr(address, name) or "") for name in ADDRESS_FIELDS}, None
        data = {name: str(self.delivery.address.get(name) or "").strip() for name in ADDRESS_FIELDS}
        if not (data["city"] and data["street"] and data["house"]):
            raise DeliveryAddressIncomplete()
        return data, None

    def _place(self, *, address_data, warehouse):
        # Первая блокировка оформления: строка корзины. Второе оформление той же корзины ждёт
        # здесь, пока первое не зафиксирует заказ и пустую корзину, и получает CartEmpty.
        cart = cart_services.cart_lock_for_checkout(cart=self.cart)
        if cart is None:
            raise CartEmpty()
        if cart.region_id != self.cart.region_id:
            # Корзина переехала в другой регион: склад самовывоза и цены выбирались для старого.
            raise CheckoutConflict()
        region = cart.region
        lines = sorted(cart_selectors.cart_lines(cart=cart), key=lambda line: line.variant_id)
        if not lines:
            raise CartEmpty()
        variant_ids = [line.variant_id for line in lines]
        prices = variant_prices_for_region_bulk(variant_ids=variant_ids, region_id=region.pk)
        unavailable = [
            line.variant.sku
            for line in lines
            if not line.variant.is_active or not line.variant.product.is_active or line.variant_id not in prices
        ]
        if unavailable:
            raise CartHasProblems(
                _("Эти товары недоступны: %(skus)s. Уберите их из корзины.") % {"skus": ", ".join(unavailable)}
            )
        customer = Customer(
            user_id=self.user.pk if self.user is not None else None,
            phone=order_selectors.phone_normalize(self.contact.phone) or "",
        )
        # Акции — до блокировки остатков, чтобы остатки подарков их правил заблокировать вместе
        # с остатками строк (одним запросом, в порядке pk); строки акций и кода с лимитами —
        # после остатков, и счётчики применений считаются уже под этой блокировкой.
        promotions = checkout_promotions_find(region_id=region.pk, code=cart.promo_code)
        gift_candidates = gift_variants_for_sale(variant_ids=promotions.gift_variant_ids, exclude=variant_ids)
        stocks = inventory_services.stock_lock(
            variant_ids=sorted([*variant_ids, *(gift.pk for gift in gift_candidates)]),
            region_id=region.pk,
            warehouse_ids=[warehouse.pk] if warehouse is not None else None,
        )
        checkout_promotions_lock(checkout=promotions, customer=customer)
        # Скидки — тем же расчётом, что корзина (cart.selectors.lines_pricing): промокод и
        # условия акций проверяются заново; неприменимый теперь код — 409 с его кодом ошибки.
        catalog, pricing = cart_selectors.lines_pricing(
            lines=lines,
            prices=prices,
            region=region,
            code=cart.promo_code,
            customer=customer,
            at_checkout=True,
            checkout=promotions,
        )
        wanted_gifts = set(pricing.discounts.gift_variant_ids)
        gifts = [gift for gift in gift_candidates if gift.pk in wanted_gifts]
        allocations = self._allocate(lines=lines, stocks=stocks)
        gifts, gift_allocations = self._allocate_gifts(gifts=gifts, stocks=stocks)
        allocations = [*allocations, *gift_allocations]
        # Одна команда UPDATE на все строки остатков (они уже заблокированы и распределены).
        inventory_services.stocks_reserve(reservations=[(stock, quantity) for _variant, stock, quantity in allocations])

        line_discounts = pricing.discounts.line_discounts
        subtotal = sum((catalog[line.variant_id][0] * line.quantity for line in lines), ZERO).quantize(ZERO)
        discount_total = pricing.discounts.total
        goods_total = subtotal - discount_total
        delivery_cost = (
            ZERO
            if pricing.discounts.free_delivery
            else delivery_rules.delivery_cost_calculate(rule=self.delivery_rule, subtotal=goods_total)
        )
        total = goods_total + delivery_cost
        if self.expected_total is not None and self.expected_total != total:
            # Исключение откатывает транзакцию вместе с уже сделанными резервами.
            raise OrderTotalChanged(
                _("Цены изменились: итог теперь %(total)s %(currency)s. Проверьте корзину и подтвердите заказ.")
                % {"total": total, "currency": region.currency}
            )
        now = self.now or timezone.now()
        order = Order(
            user=self.user,
            region=region,
            status=OrderStatus.NEW,
            contact_name=self.contact.name,
            contact_phone=self.contact.phone,
            contact_email=self.contact.email,
            delivery_method=self.delivery.method,
            pickup_warehouse=warehouse,
            delivery_address=_address_text(address_data) if address_data else (warehouse.address if warehouse else ""),
            delivery_address_data=address_data,
            comment=self.comment,
            payment_method=self.payment_method,
            currency=region.currency,
            subtotal=subtotal,
            discount_total=discount_total,
            promo_code=pricing.code if pricing.code_id is not None else "",
            delivery_cost=delivery_cost,
            total=total,
            # Онлайн-заказ ждёт оплаты; заказ с оплатой при получении — подтверждения менеджером
            # (перевод в «собирается» снимает срок), иначе резерв не держал бы товар вечно.
            reserved_until=self._reserved_until(now),
            number=order_number_generate(region=region, now=now),
        )
        self._insert(order)
        order_lines = OrderLine.objects.bulk_create(
            [
                *(
                    OrderLine(
                        order=order,
                        variant=line.variant,
                        sku=line.variant.sku,
                        product_name=line.variant.product.name,
                        product_slug=line.variant.product.slug,
                        variant_name=line.variant.name,
                        unit_price=catalog[line.variant_id][0],
                        old_unit_price=catalog[line.variant_id][1] if catalog[line.variant_id][2] else None,
                        quantity=line.quantity,
                        discount=line_discounts.get(line.variant_id, ZERO),
                        line_total=(
                            catalog[line.variant_id][0] * line.quantity - line_discounts.get(line.variant_id, ZERO)
                        ).quantize(ZERO),
                    )
                    for line in lines
                ),
                *(
                    OrderLine(
                        order=order,
                        variant=gift,
                        sku=gift.sku,
                        product_name=gift.product.name,
                        product_slug=gift.product.slug,
                        variant_name=gift.name,
                        unit_price=ZERO,
                        quantity=1,
                        line_total=ZERO,
                        is_gift=True,
                    )
                    for gift in gifts
                ),
            ]
        )
        # Лимиты акций и кода — по счётчикам под блокировкой их строк: 409 откатывает заказ.
        promotions_redeem(order=order, pricing=pricing, customer=customer, checkout=promotions)
        OrderReservation.objects.bulk_create(
            OrderReservation(order=order, variant=variant, warehouse=stock.warehouse, quantity=quantity)
            for variant, stock, quantity in allocations
        )
        change = OrderStatusChange.objects.create(
            order=order, from_status="", to_status=OrderStatus.NEW, changed_by=self.user, comment=""
        )
        cart_services.cart_clear_for_order(cart=cart)
        # Ответ собирается из того, что только что записано, без повторного чтения заказа
        # (строки и история — как после prefetch_related).
        order._prefetched_objects_cache = {"lines": order_lines, "history": [change]}
        self.response = self.respond(order) if self.respond is not None else None
        if self.idempotency_record is not None:
            idempotency_order_attach(
                record=self.idempotency_record, order=order, status_code=HTTPStatus.CREATED, body=self.response
            )
        transaction.on_commit(lambda: signals.order_created.send(sender=Order, order=order))
        _after_status_change(order=order, change=change)
        return order

    @staticmethod
    def _allocate(*, lines, stocks):
        """Распределить количества строк по заблокированным остаткам (склады — по их порядку).

        Returns:
            list[(вариант, строка остатка, количество)].
        """
        by_variant = {}
        for stock in sorted(stocks, key=lambda row: (row.warehouse.sort_order, row.warehouse.code, row.pk)):
            by_variant.setdefault(stock.variant_id, []).append(stock)
        allocations, short = [], []
        for line in lines:
            remaining = line.quantity
            for stock in by_variant.get(line.variant_id, []):
                take = min(stock.available, remaining)
                if take > 0:
                    allocations.append((line.variant, stock, take))
                    remaining -= take
                if remaining == 0:
                    break
            if remaining:
                short.append(line.variant.sku)
        if short:
            raise StockInsufficient(
                _("Не хватает на складе: %(skus)s. Уменьшите количество.") % {"skus": ", ".join(short)}
            )
        return allocations

    @staticmethod
    def _allocate_gifts(*, gifts, stocks):
        """Зарезервировать по одной штуке подарков; подарок, которого нет на складе, не кладётся."""
        by_variant = {}
        for stock in sorted(stocks, key=lambda row: (row.warehouse.sort_order, row.warehouse.code, row.pk)):
            by_variant.setdefault(stock.variant_id, []).append(stock)
        given, allocations = [], []
        for gift in gifts:
            stock = next((row for row in by_variant.get(gift.pk, []) if row.available > 0), None)
            if stock is not None:
                given.append(gift)
                allocations.append((gift, stock, 1))
        return given, allocations

    @staticmethod
    def _insert(order):
        """Вставить заказ без точки сохранения: совпадение случайного номера повторяет всю попытку.

        Совпадение номера — редкость (7 случайных цифр на регион и год), а точка сохранения
        вокруг каждой вставки — два лишних круга до базы на каждом заказе под блокировкой остатков.
        """
        try:
            order.save(force_insert=True)
        except IntegrityError as error:
            if _unique_violation(error):
                raise _NumberTaken() from error
            raise


class _NumberTaken(Exception):
    """Случайный номер заказа (или токен) уже занят: транзакция откатывается, попытка повторяется."""


def _unique_violation(error):
    cause = error.__cause__
    return isinstance(cause, pg_errors.UniqueViolation) or "UNIQUE constraint failed" in str(error)


# --- Статусы ------------------------------------------------------------------------------------


def _after_status_change(*, order, change):
    """После фиксации: сигнал смены статуса и задача уведомления покупателя."""
    from commerce.orders.tasks import order_status_notify  # tasks импортирует services: цикл

    def send():
        signals.order_status_changed.send(sender=Order, order=order, change=change)
        if settings.ORDERS_NOTIFY_EMAIL or settings.ORDERS_NOTIFY_SMS:
            # Оба канала выключены — слать нечего, задача в очередь не ставится.
            order_status_notify.delay(change.pk)

    transaction.on_commit(send)


def _reservations_apply(*, order, to_status):
    """Применить к резервам заказа последствия перехода: снять, списать или вернуть на склад."""
    if to_status in (OrderStatus.PAID, OrderStatus.SHIPPED):
        states, action = [ReservationState.ACTIVE], "consume"
    elif to_status == OrderStatus.CANCELLED:
        # Оплаченный, но не отгруженный заказ: списанное возвращается на склад.
        states, action = [ReservationState.ACTIVE, ReservationState.CONSUMED], "cancel"
    else:
        return
    reservations = list(order.reservations.filter(state__in=states).select_related("variant", "warehouse"))
    if not reservations:
        return
    # Предложения товаров — один пересчёт после фиксации, а не по строке остатка.
    with product_offer_refresh_deferred():
        _reservations_stock_apply(reservations=reservations, action=action)


def _reservations_stock_apply(*, reservations, action):
    inventory_services.stock_lock(
        variant_ids=[row.variant_id for row in reservations],
        warehouse_ids=[row.warehouse_id for row in reservations],
    )
    for reservation in sorted(reservations, key=lambda row: (row.variant_id, row.warehouse_id)):
        if reservation.state == ReservationState.ACTIVE:
            inventory_services.stock_release(
                variant=reservation.variant,
                warehouse=reservation.warehouse,
                quantity=reservation.quantity,
                ship=action == "consume",
            )
            reservation.state = ReservationState.CONSUMED if action == "consume" else ReservationState.RELEASED
        else:
            inventory_services.stock_restock(
                variant=reservation.variant, warehouse=reservation.warehouse, quantity=reservation.quantity
            )
            reservation.state = ReservationState.RESTOCKED
        reservation.save(update_fields=["state", "updated_at"])


def _transition(*, order, to_status, actor=None, comment="", payment_reference=""):
    """Перевести уже заблокированный заказ в статус to_status (в текущей транзакции)."""
    if not transition_allowed(from_status=order.status, to_status=to_status):
        raise OrderTransitionNotAllowed(
            _("Нельзя перевести заказ из статуса «%(from)s» в «%(to)s».")
            % {"from": OrderStatus(order.status).label, "to": OrderStatus(to_status).label}
        )
    _reservations_apply(order=order, to_status=to_status)
    from_status = order.status
    order.status = to_status
    fields = ["status", "updated_at"]
    if to_status == OrderStatus.PAID:
        order.paid_at = timezone.now()
        order.payment_reference = payment_reference
        fields += ["paid_at", "payment_reference"]
    if to_status not in AWAITING_PAYMENT_STATUSES and order.reserved_until is not None:
        order.reserved_until = None
        fields.append("reserved_until")
    order.save(update_fields=fields)
    change = OrderStatusChange.objects.create(
        order=order, from_status=from_status, to_status=to_status, changed_by=actor, comment=comment
    )
    _after_status_change(order=order, change=change)
    return change


def _lock(order):
    return Order.objects.select_for_update().select_related("region").get(pk=order.pk)


@transaction.atomic
def order_status_change(*, order, to_status, actor=None, comment=""):
    """Сменить статус заказа по таблице переходов и записать историю.

    Последствия для склада: paid и shipped списывают активный резерв, cancelled снимает
    резерв (а списанное, но не отгруженное возвращает на склад).

    Args:
        order: заказ (будет заблокирован и перечитан).
        to_status: новый статус (OrderStatus).
        actor: сотрудник или покупатель; None — система.
        comment: комментарий в историю (виден менеджерам, попадает в уведомление).

    Returns:
        Order — перечитанный и изменённый.

    Raises:
        OrderTransitionNotAllowed (409): перехода нет в status.TRANSITIONS.
    """
    order = _lock(order)
    if to_status == OrderStatus.PAID:
        # Оплата — только через order_mark_paid: он идемпотентен и сохраняет ссылку на платёж.
        return order_mark_paid(order=order, payment_reference="", actor=actor, comment=comment)
    _transition(order=order, to_status=to_status, actor=actor, comment=comment)
    return order


CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")


@transaction.atomic
def order_contact_update(*, order, **changes):
    """Изменить контакт заказа (имя, телефон, e-mail получателя).

    Args:
        order: заказ (будет заблокирован и перечитан).
        changes: новые значения полей из CONTACT_FIELDS; остальные ключи — ошибка программиста.

    Returns:
        Order — перечитанный и сохранённый (updated_at новый, поэтому и версия для If-Match новая).
    """
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Не поля контакта: {sorted(unknown)}")
    order = _lock(order)
    for name, value in changes.items():
        setattr(order, name, value)
    order.save(update_fields=[*changes, "updated_at"])
    return order


@transaction.atomic
def order_mark_paid(*, order, payment_reference, actor=None, comment=""):
    """Отметить заказ оплаченным: списать резерв со склада ровно один раз.

    Точка входа для платежей (issue 7): вызов идемпотентен — повтор (второй вебхук,
    повтор задачи) для уже оплаченного заказа ничего не меняет и не шлёт сигнал снова.
    Строка заказа блокируется, так что параллельные вызовы выполняются по очереди.

    Args:
        order: заказ.
        payment_reference: идентификатор платежа у провайдера (для сверки).
        actor: кто отметил (сотрудник в админке) или None (провайдер).
        comment: комментарий в историю.

    Returns:
        Order — оплаченный заказ.

    Raises:
        OrderTransitionNotAllowed (409): заказ уже отменён (в т. ч. истёк резерв) или
        не ждёт оплаты — деньги нужно вернуть, это решает модуль платежей.
    """
    order = _lock(order)
    if order.paid_at is not None:
        return order
    _transition(
        order=order, to_status=OrderStatus.PAID, actor=actor, comment=comment, payment_reference=payment_reference
    )
    reference = payment_reference
    transaction.on_commit(lambda: signals.order_paid.send(sender=Order, order=order, payment_reference=reference))
    return order


@transaction.atomic
def order_cancel_by_customer(*, order, user=None):
    """Отменить заказ по просьбе покупателя (только до оплаты) и снять резерв.

    Raises:
        OrderNotCancellable (409): заказ уже оплачен, отгружен или отменён.
    """
    order = _lock(order)
    if order.status not in CUSTOMER_CANCELLABLE:
        raise OrderNotCancellable()
    _transition(order=order, to_status=OrderStatus.CANCELLED, actor=user, comment=_("Отменён покупателем."))
    return order


def orders_reservations_expire(*, now=None, batch_size=500):
    """Отменить заказы с истёкшим резервом и снять их резервы; вернуть число отмен.

    Истекают неоплаченные онлайн-заказы (ORDERS_RESERVATION_MINUTES) и неподтверждённые
    менеджером заказы с оплатой при получении (ORDERS_COD_RESERVATION_HOURS): подтверждение —
    перевод в «собирается», он снимает срок резерва (_transition).

    Каждый заказ — в своей транзакции и с ``skip_locked``: заказ, который прямо сейчас
    оплачивается (строка заблокирована order_mark_paid), пропускается, а при следующем
    запуске уже не подходит по статусу. Оплаченный заказ задача не трогает никогда.
    """
    now = now or timezone.now()
    candidates = list(
        Order.objects.filter(status__in=AWAITING_PAYMENT_STATUSES, reserved_until__lt=now)
        .order_by("reserved_until")
        .values_list("pk", flat=True)[:batch_size]
    )
    expired = 0
    for pk in candidates:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=AWAITING_PAYMENT_STATUSES, reserved_until__lt=now, paid_at__isnull=True)
                .first()
            )
            if order is None:
                continue
            comment = (
                _("Резерв истёк: заказ с оплатой при получении не подтверждён.")
                if order.payment_method == PaymentMethod.CASH_ON_DELIVERY
                else _("Резерв истёк: заказ не оплачен.")
            )
            _transition(order=order, to_status=OrderStatus.CANCELLED, comment=comment)
            expired += 1
    return expired
