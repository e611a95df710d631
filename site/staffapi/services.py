"""Записи API сотрудников: каждая — через сервис предметной области и с записью в журнал.

Сами правила (переходы статусов, цены, остатки, возвраты) живут в commerce; здесь — только то,
что добавляет работа сотрудника: проверка версии (If-Match), ограничение регионами и журнал
действий в той же транзакции, что и изменение.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, ValidationError

from accounts.services import user_tokens_revoke
from commerce.catalog import services as catalog_services
from commerce.catalog.models import Product
from commerce.catalog.offers import product_offer_refresh_deferred
from commerce.inventory import services as inventory_services
from commerce.inventory.models import Stock
from commerce.orders import services as order_services
from commerce.orders.models import Order
from commerce.payments import services as payment_services
from commerce.pricing import services as pricing_services
from commerce.pricing.models import VariantPrice
from integrations.core import selectors as integration_selectors
from integrations.core.models import Delivery
from integrations.core.outbox import deliveries_retry
from staffapi.audit import staff_action_record
from staffapi.etags import if_match_check, order_etag
from staffapi.models import OrderNote
from staffapi.permissions import staff_has_perm
from staffapi.regions import region_allowed, staff_region_ids


def _order_snapshot(order):
    return {"status": order.status, "updated_at": order.updated_at.isoformat()}


@transaction.atomic
def staff_order_transition(*, request, order, to_status, comment=""):
    """Перевести заказ в статус to_status от имени сотрудника, сверив If-Match с версией заказа.

    Заказ блокируется до сверки: из двух одновременных запросов с одним ETag второй ждёт
    первого, видит уже новую версию и получает 412.

    Raises:
        PreconditionRequired (428), PreconditionFailed (412), OrderTransitionNotAllowed (409).
    """
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if_match_check(request=request, etag=order_etag(locked))
    before = _order_snapshot(locked)
    changed = order_services.order_status_change(order=locked, to_status=to_status, actor=request.user, comment=comment)
    staff_action_record(
        request=request,
        action="order.transition",
        obj=changed,
        before=before,
        after={**_order_snapshot(changed), "comment": comment},
    )
    return changed


@transaction.atomic
def staff_order_contact_update(*, request, order, changes):
    """Изменить контакт заказа от имени сотрудника, сверив If-Match, и записать «до» и «после».

    Raises:
        PreconditionRequired (428), PreconditionFailed (412).
    """
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if_match_check(request=request, etag=order_etag(locked))
    before = {name: str(getattr(locked, name)) for name in changes}
    changed = order_services.order_contact_update(order=locked, **changes)
    staff_action_record(
        request=request,
        action="order.contact_update",
        obj=changed,
        before=before,
        after={name: str(getattr(changed, name)) for name in changes},
    )
    return changed


@transaction.atomic
def staff_order_note_add(*, request, order, text):
    """Добавить служебную заметку к заказу и записать это в журнал."""
    note = OrderNote.objects.create(order=order, author=request.user, text=text)
    staff_action_record(request=request, action="order.note_add", obj=order, after={"note_id": note.pk, "text": text})
    return note


def staff_refund_create(*, request, payment, amount, reason):
    """Вернуть деньги по платежу заказа через сервис платежей и записать в журнал.

    Транзакцией управляет refund_create (при ошибке провайдера он пишет событие отдельно),
    поэтому журнал пишется после успешного возврата.
    """
    before = {"refunded_amount": str(payment.refunded_amount), "status": payment.status}
    refund = payment_services.refund_create(payment=payment, amount=amount, reason=reason, actor=request.user)
    payment.refresh_from_db()
    staff_action_record(
        request=request,
        action="payment.refund",
        obj=payment,
        before=before,
        after={
            "refund_id": refund.pk,
            "amount": str(refund.amount),
            "refunded_amount": str(payment.refunded_amount),
            "status": payment.status,
        },
    )
    return refund


def _row_error(errors, index, field, message):
    errors.setdefault(index, {}).setdefault(field, []).append(str(message))


@transaction.atomic
def staff_offers_bulk_update(*, request, rows):
    """Записать цены и остатки пачкой: всё или ничего, ошибки — по строкам, пересчёт — один раз.

    Каждая строка идёт через сервисы pricing.variant_price_set и inventory.stock_set в своей
    точке сохранения, чтобы собрать ошибки всех строк; если хоть одна строка не прошла,
    откатывается вся пачка и поднимается ValidationError с ошибками по строкам
    (``rows.3.price``). Предложения витрины и кэш пересчитываются один раз после фиксации
    (offers.product_offer_refresh_deferred), а не на каждую строку.

    Args:
        request: запрос (сотрудник, его права и регионы — для проверки каждой строки).
        rows: проверенные строки OfferRowInputSerializer: variant, price_list, price, old_price,
            warehouse, quantity.

    Returns:
        int — сколько строк записано.

    Raises:
        rest_framework.exceptions.ValidationError: ошибки строк (ничего не записано).
    """
    errors = {}
    changes = []
    with product_offer_refresh_deferred():
        for index, row in enumerate(rows):
            variant = row["variant"]
            price_list = row.get("price_list")
            warehouse = row.get("warehouse")
            if price_list is not None:
                if not staff_has_perm(request, "pricing.change_variantprice"):
                    _row_error(errors, index, "price", _("Нет права менять цены."))
                elif (price_list.region_id is None and staff_region_ids(request) is not None) or (
                    price_list.region_id is not None and not region_allowed(request, price_list.region_id)
                ):
                    _row_error(errors, index, "price_list", _("Этот прайс-лист вам недоступен."))
                else:
                    old = VariantPrice.objects.filter(variant=variant, price_list=price_list).first()
                    try:
                        with transaction.atomic():
                            price = pricing_services.variant_price_set(
                                variant=variant,
                                price_list=price_list,
                                price=row["price"],
                                old_price=row.get("old_price"),
                            )
                    except DjangoValidationError as error:
                        for field, messages in error.message_dict.items():
                            for message in messages:
                                _row_error(errors, index, "price" if field == "__all__" else field, message)
                    else:
                        changes.append(
                            {
                                "variant_id": variant.pk,
                                "price_list": price_list.code,
                                "price_before": None if old is None else str(old.price),
                                "price": str(price.price),
                                "old_price": None if price.old_price is None else str(price.old_price),
                            }
                        )
            if warehouse is not None:
                if not staff_has_perm(request, "inventory.change_stock"):
                    _row_error(errors, index, "quantity", _("Нет права менять остатки."))
                elif not region_allowed(request, warehouse.region_id):
                    _row_error(errors, index, "warehouse", _("Этот склад вам недоступен."))
                else:
                    old = Stock.objects.filter(variant=variant, warehouse=warehouse).first()
                    try:
                        with transaction.atomic():
                            inventory_services.stock_set(variant=variant, warehouse=warehouse, quantity=row["quantity"])
                    except APIException as error:
                        _row_error(errors, index, "quantity", error.detail)
                    else:
                        changes.append(
                            {
                                "variant_id": variant.pk,
                                "warehouse": warehouse.code,
                                "quantity_before": None if old is None else old.quantity,
                                "quantity": row["quantity"],
                            }
                        )
        if errors:
            # Исключение внутри atomic откатывает всю пачку, и отложенный пересчёт не запустится.
            raise ValidationError({"rows": [errors.get(index, {}) for index in range(len(rows))]})
        staff_action_record(
            request=request,
            action="offers.bulk_update",
            object_type="catalog.variant",
            object_id=",".join(str(pk) for pk in sorted({row["variant"].pk for row in rows}))[:64],
            after={"changes": changes},
        )
    return len(rows)


def staff_customer_pii_reveal(*, request, customer):
    """Записать в журнал раскрытие персональных данных покупателя (152-ФЗ) и вернуть покупателя."""
    staff_action_record(
        request=request,
        action="customer.pii_reveal",
        obj=customer,
        after={"fields": ["first_name", "last_name", "email", "phone", "addresses"]},
    )
    return customer


@transaction.atomic
def staff_customer_block_set(*, request, customer, blocked, reason=""):
    """Заблокировать (или разблокировать) покупателя: вход закрыт, выданные токены отозваны.

    Блокировка — это is_active=False: Django и simplejwt не пускают неактивного пользователя,
    а уже выданные refresh-токены отзываются сразу (accounts.services.user_tokens_revoke).
    """
    before = {"is_active": customer.is_active}
    customer.is_active = not blocked
    customer.save(update_fields=["is_active"])
    if blocked:
        user_tokens_revoke(user=customer)
    staff_action_record(
        request=request,
        action="customer.block" if blocked else "customer.unblock",
        obj=customer,
        before=before,
        after={"is_active": customer.is_active, "reason": reason},
    )
    return customer


def _validated_save(obj, fields):
    """Проверить объект моделью (full_clean) и сохранить; ошибки модели — ValidationError API по полям."""
    try:
        obj.full_clean()
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from error
    obj.save()
    return obj


@transaction.atomic
def staff_product_create(*, request, **fields):
    """Создать товар с первым вариантом через catalog.services.product_create и записать в журнал."""
    try:
        product = catalog_services.product_create(**fields)
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from error
    staff_action_record(
        request=request, action="product.create", obj=product, after={"name": product.name, "sku": fields["sku"]}
    )
    return product


def _product_lock(product_id):
    """Заблокировать строку товара до конца транзакции (правки одного товара идут по очереди)."""
    Product.objects.select_for_update().filter(pk=product_id).values_list("pk", flat=True).first()


def _snapshot(obj, fields):
    return {field: str(getattr(obj, field)) if getattr(obj, field) is not None else None for field in fields}


def _fields_update(*, request, obj, changes, product_id, action):
    """Заблокировать товар, изменить поля obj с проверкой моделью и записать правку в журнал."""
    if not changes:
        return obj
    _product_lock(product_id)
    before = _snapshot(obj, changes)
    for field, value in changes.items():
        setattr(obj, field, value)
    _validated_save(obj, changes)
    staff_action_record(request=request, action=action, obj=obj, before=before, after=_snapshot(obj, changes))
    return obj


@transaction.atomic
def staff_product_update(*, request, product, changes):
    """Изменить поля товара (проверка моделью, сигналы каталога сбрасывают кэш) и записать в журнал.

    Пустая правка ничего не сохраняет. Строка товара блокируется до сохранения: переиндексация
    поиска (сигнал сохранения) пересобирает документ товара удалением и вставкой, и две
    одновременные правки одного товара иначе столкнулись бы на его первичном ключе (500).
    """
    return _fields_update(request=request, obj=product, changes=changes, product_id=product.pk, action="product.update")


@transaction.atomic
def staff_variant_update(*, request, variant, changes):
    """Изменить поля варианта и записать в журнал (пустая правка ничего не сохраняет).

    Блокируется строка товара варианта — по той же причине, что в staff_product_update.
    """
    return _fields_update(
        request=request, obj=variant, changes=changes, product_id=variant.product_id, action="variant.update"
    )


@transaction.atomic
def staff_deliveries_retry(*, request, ids=None, connection=None):
    """Поставить застрявшие доставки на отправку сейчас и записать это в журнал.

    Повторяются только застрявшие (то же правило, что в списке): доставленную или уже
    отправляемую доставку «Повторить» не трогает, даже если её id передан.

    Returns:
        int — сколько доставок поставлено.
    """
    queryset = integration_selectors.deliveries_stuck(connection=connection)
    if ids:
        queryset = queryset.filter(pk__in=ids)
    chosen = sorted(queryset.values_list("pk", flat=True))
    count = deliveries_retry(queryset=Delivery.objects.filter(pk__in=chosen))
    staff_action_record(
        request=request,
        action="integrations.retry",
        obj=connection,
        object_type="" if connection else "integrations_core.delivery",
        object_id="" if connection else ",".join(map(str, chosen))[:64],
        before={"deliveries": chosen},
        after={"retried": count},
    )
    return count
