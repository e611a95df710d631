"""Платёжные операции: создать платёж, сверить с провайдером, принять уведомление, вернуть деньги.

Правила, на которых держится безопасность модуля:

* сумма платежа — всегда ``order.total`` с сервера, никогда не из запроса;
* уведомлению не верят: после проверки источника платёж перечитывается у провайдера по id,
  и в расчёт идёт только перечитанное состояние;
* статус платежа не движется назад, итоговые статусы не меняются; строка платежа
  блокируется (select_for_update), поэтому параллельные уведомления дают один переход;
* расхождение суммы, валюты или номера заказа — платёж «на проверку», заказ не оплачен;
* всё, что случилось, пишется в журнал PaymentEvent (секреты скрыты).
"""

import hashlib
import logging
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.limits import counter_hit
from commerce.orders import services as order_services
from commerce.payments import exceptions
from commerce.payments.masking import mask_payload
from commerce.payments.models import (
    OPEN_STATUSES,
    EventKind,
    Payment,
    PaymentEvent,
    PaymentStatus,
    Refund,
    RefundStatus,
    RegionPaymentProvider,
)
from commerce.payments.providers.base import PaymentRequest, ProviderError, WebhookRejected
from commerce.payments.providers.registry import ProviderNotAvailable, provider_get
from commerce.payments.receipts import receipt_for_line_refund, receipt_for_order, receipt_for_refund
from commerce.payments.selectors import order_for_update, provider_codes_for_payment_method
from core.client_ip import client_ip_limit_key

logger = logging.getLogger(__name__)

# Куда может двигаться статус платежа по данным провайдера. Назад — никогда.
PROVIDER_TRANSITIONS = {
    PaymentStatus.PENDING: {PaymentStatus.WAITING_FOR_CAPTURE, PaymentStatus.SUCCEEDED, PaymentStatus.CANCELLED},
    PaymentStatus.WAITING_FOR_CAPTURE: {PaymentStatus.SUCCEEDED, PaymentStatus.CANCELLED},
}
# Статусы заказа, в которых его можно оплачивать онлайн.
PAYABLE_ORDER_STATUSES = {"new", "awaiting_payment"}


def _event(*, payment, provider, kind, code="", payload=None, from_status="", to_status="", source_ip=None, actor=None):
    return PaymentEvent.objects.create(
        payment=payment,
        provider=provider,
        kind=kind,
        code=code[:64],
        payload=mask_payload(payload or {}),
        from_status=from_status,
        to_status=to_status,
        source_ip=source_ip,
        actor=actor,
    )


def _provider(code):
    try:
        return provider_get(code)
    except ProviderNotAvailable as error:
        raise exceptions.ProviderNotEnabled() from error


def _choose_provider_code(*, order, requested_code):
    """Выбрать провайдера для заказа: запрошенный (если включён в регионе) или первый онлайн."""
    candidates = provider_codes_for_payment_method(region_id=order.region_id, payment_method=order.payment_method)
    if requested_code:
        if requested_code not in candidates:
            raise exceptions.ProviderNotEnabled()
        return requested_code
    if not candidates:
        raise exceptions.ProviderNotEnabled()
    return candidates[0]


def payment_start(*, order, return_url, provider_code=None):
    """Начать оплату заказа или вернуть уже начатую.

    Повторный вызов, пока платёж не завершён, возвращает тот же платёж (и ту же ссылку
    на оплату), а не создаёт второй. Если прошлый вызов упал на связи с провайдером,
    повтор идёт с тем же ключом идемпотентности — у провайдера тоже не будет дубля.

    Args:
        order: заказ покупателя (права проверены вызывающим).
        return_url: куда провайдер вернёт покупателя после оплаты.
        provider_code: желаемый провайдер; None — первый включённый в регионе заказа.
    Returns:
        Payment.
    Raises:
        OrderNotPayable (409), ProviderNotEnabled (409), ProviderUnavailable (503),
        ProviderRejected (502).
    """
    with transaction.atomic():
        # Блокировка строки заказа: два одновременных «оплатить» не создадут два платежа.
        order = order_for_update(order_id=order.pk)
        payment = Payment.objects.filter(order=order, status__in=OPEN_STATUSES).first()
        if payment is None:
            if order.status not in PAYABLE_ORDER_STATUSES or order.paid_at is not None:
                raise exceptions.OrderNotPayable()
            code = _choose_provider_code(order=order, requested_code=provider_code)
            payment = Payment.objects.create(
                order=order,
                provider=code,
                amount=order.total,
                currency=order.currency,
                idempotence_key=str(uuid.uuid4()),
            )
        elif provider_code and provider_code != payment.provider:
            raise exceptions.PaymentInProgress()
    if payment.provider_payment_id:
        return payment
    return _payment_register_at_provider(payment=payment, order=order, return_url=return_url)


def _payment_register_at_provider(*, payment, order, return_url):
    provider = _provider(payment.provider)
    request = PaymentRequest(
        amount=payment.amount,
        currency=payment.currency,
        description=_("Заказ %(number)s") % {"number": order.number},
        order_number=order.number,
        return_url=return_url,
        idempotence_key=payment.idempotence_key,
        receipt=receipt_for_order(order=order, lines=list(order.lines.all())) if provider.is_online else None,
    )
    _event(
        payment=payment,
        provider=payment.provider,
        kind=EventKind.REQUEST_SENT,
        code="payment_create",
        payload={"amount": str(request.amount), "currency": request.currency, "order_number": order.number},
    )
    try:
        answer = provider.payment_create(request)
    except ProviderError as error:
        _event(
            payment=payment,
            provider=payment.provider,
            kind=EventKind.PROVIDER_ERROR,
            code=error.code,
            payload=error.raw,
        )
        logger.warning("Платёж %s: провайдер ответил ошибкой %s", payment.pk, error.code)
        if error.retryable:
            raise exceptions.ProviderUnavailable() from error
        raise exceptions.ProviderRejected() from error
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if not payment.provider_payment_id:
            payment.provider_payment_id = answer.provider_payment_id
            payment.confirmation_url = answer.confirmation_url
            payment.last_synced_at = timezone.now()
            payment.save(update_fields=["provider_payment_id", "confirmation_url", "last_synced_at", "updated_at"])
            _event(
                payment=payment,
                provider=payment.provider,
                kind=EventKind.PROVIDER_ANSWER,
                code="payment_created",
                payload=answer.raw,
                to_status=answer.status,
            )
            if order.status == "new":
                order_services.order_status_change(order=order, to_status="awaiting_payment")
        payment = _apply_provider_state(payment=payment, answer=answer)
    return payment


def payment_sync(*, payment, source_ip=None, actor=None):
    """Перечитать платёж у провайдера и применить его состояние.

    Raises:
        ProviderUnavailable (503) — провайдер не ответил; состояние не меняется.
    """
    if not payment.provider_payment_id:
        return payment
    provider = _provider(payment.provider)
    try:
        answer = provider.payment_fetch(payment.provider_payment_id)
    except ProviderError as error:
        _event(
            payment=payment,
            provider=payment.provider,
            kind=EventKind.PROVIDER_ERROR,
            code=error.code,
            payload=error.raw,
        )
        raise exceptions.ProviderUnavailable() from error
    with transaction.atomic():
        locked = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        locked.last_synced_at = timezone.now()
        locked.save(update_fields=["last_synced_at", "updated_at"])
        return _apply_provider_state(payment=locked, answer=answer, source_ip=source_ip, actor=actor)


def _apply_provider_state(*, payment, answer, source_ip=None, actor=None):
    """Применить состояние провайдера к заблокированному платежу (внутри транзакции)."""
    if answer.provider_payment_id != payment.provider_payment_id:
        raise exceptions.ProviderRejected()
    target = answer.status
    if target == payment.status or target not in PROVIDER_TRANSITIONS.get(payment.status, set()):
        # Тот же статус, устаревшее или запоздавшее состояние: ничего не меняем.
        return payment
    from_status = payment.status
    payment.status = target
    payment.save(update_fields=["status", "updated_at"])
    _event(
        payment=payment,
        provider=payment.provider,
        kind=EventKind.STATUS_CHANGED,
        from_status=from_status,
        to_status=target,
        payload=answer.raw,
        source_ip=source_ip,
        actor=actor,
    )
    if target == PaymentStatus.SUCCEEDED:
        _order_mark_paid_if_consistent(payment=payment, answer=answer)
    return payment


def _mismatch_reason(*, payment, order, answer):
    if answer.amount != payment.amount or payment.amount != order.total:
        return _("Сумма платежа %(paid)s не совпадает с суммой заказа %(total)s.") % {
            "paid": answer.amount,
            "total": order.total,
        }
    if answer.currency != payment.currency or payment.currency != order.currency:
        return _("Валюта платежа %(currency)s не совпадает с валютой заказа.") % {"currency": answer.currency}
    metadata_number = (answer.metadata or {}).get("order_number")
    if metadata_number is not None and metadata_number != order.number:
        return _("Платёж относится к другому заказу (%(number)s).") % {"number": metadata_number}
    return ""


def _flag_for_review(*, payment, reason):
    payment.needs_review = True
    payment.review_reason = reason[:255]
    payment.save(update_fields=["needs_review", "review_reason", "updated_at"])
    _event(payment=payment, provider=payment.provider, kind=EventKind.REVIEW_FLAGGED, payload={"reason": reason})
    logger.error("Платёж %s отмечен для проверки: %s", payment.pk, reason)


def _order_mark_paid_if_consistent(*, payment, answer):
    order = order_for_update(order_id=payment.order_id)
    reason = _mismatch_reason(payment=payment, order=order, answer=answer)
    if reason:
        _flag_for_review(payment=payment, reason=reason)
        return
    if order.status not in PAYABLE_ORDER_STATUSES and order.paid_at is None:
        # Деньги пришли, а заказ уже отменён (например, истёк резерв): вернуть решает менеджер.
        _flag_for_review(payment=payment, reason=_("Оплачен заказ в статусе «%(status)s».") % {"status": order.status})
        return
    order_services.order_mark_paid(order=order, payment_reference=payment.provider_payment_id)


# Сколько байт тела принятого (проверенного) уведомления пишется в журнал.
WEBHOOK_ACCEPTED_BODY_BYTES = 4096


def _webhook_rejected_body(body):
    """Сводка тела отклонённого уведомления для журнала: хеш, длина и короткое начало.

    Тело целиком не храним: отклонённые уведомления шлёт кто угодно, а журнал только растёт.
    По хешу видно, что приходило одно и то же тело; по началу — что это было.
    """
    prefix_bytes = settings.PAYMENTS_WEBHOOK_REJECTED_PREFIX_BYTES
    return {
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "body_bytes": len(body),
        "body_prefix": body[:prefix_bytes].decode("utf-8", errors="replace"),
    }


def _webhook_rejection_record(*, provider_code, code, body, client_ip):
    """Записать отказ в уведомлении в журнал, если источник не превысил лимит отказов.

    Отказы считаются по IP (для IPv6 — по сети /64) в Redis. Сверх PAYMENTS_WEBHOOK_REJECTED_LIMIT за окно
    источник получает 429, а в журнал больше ничего не пишется — растёт только счётчик.
    """
    window = settings.PAYMENTS_WEBHOOK_REJECTED_WINDOW_SECONDS
    limit = settings.PAYMENTS_WEBHOOK_REJECTED_LIMIT
    key = f"payments:webhook_rejected:{client_ip_limit_key(client_ip)}"
    rejected_count, remaining = counter_hit(key=key, window=window)
    if rejected_count > limit:
        if rejected_count == limit + 1:
            logger.warning(
                "Уведомления платежей: с адреса %s больше %s отказов за %s с, дальше отвечаем 429 без записи в журнал",
                client_ip,
                limit,
                window,
            )
        raise exceptions.WebhookThrottled(wait=max(1, int(remaining)))
    _event(
        payment=None,
        provider=provider_code,
        kind=EventKind.WEBHOOK_REJECTED,
        code=code,
        payload=_webhook_rejected_body(body),
        source_ip=client_ip,
    )


def webhook_handle(*, provider_code, body, client_ip):
    """Принять уведомление провайдера: проверить источник, перечитать объект, применить.

    Принятое уведомление пишется в журнал с началом тела (до 4 КБ); отклонённое — только
    хешем и коротким началом, а источник, превысивший лимит отказов, получает 429
    и в журнал не пишется вовсе (см. _webhook_rejection_record).

    Returns:
        Payment, которого касалось уведомление.
    Raises:
        WebhookForbidden (403) — источник не из сетей провайдера;
        WebhookInvalid (400) — тело не разобрать; WebhookUnknownObject (404) — нет такого платежа;
        WebhookThrottled (429) — слишком много отказов с этого адреса;
        ProviderUnavailable (503) — перечитать не удалось (провайдер повторит уведомление).
    """
    try:
        provider = provider_get(provider_code)
    except ProviderNotAvailable as error:
        raise exceptions.WebhookUnknownObject() from error
    try:
        notice = provider.webhook_parse(body=body, client_ip=client_ip or "")
    except WebhookRejected as error:
        _webhook_rejection_record(provider_code=provider_code, code=error.code, body=body, client_ip=client_ip)
        if error.code == "source_not_allowed":
            raise exceptions.WebhookForbidden() from error
        raise exceptions.WebhookInvalid() from error
    if notice.object_type == "refund":
        refund = Refund.objects.filter(payment__provider=provider_code, provider_refund_id=notice.object_id).first()
        payment = refund.payment if refund else None
    else:
        payment = Payment.objects.filter(provider=provider_code, provider_payment_id=notice.object_id).first()
    if payment is None:
        _webhook_rejection_record(provider_code=provider_code, code="unknown_object", body=body, client_ip=client_ip)
        raise exceptions.WebhookUnknownObject()
    _event(
        payment=payment,
        provider=provider_code,
        kind=EventKind.WEBHOOK_RECEIVED,
        code=notice.event,
        payload={"body": body[:WEBHOOK_ACCEPTED_BODY_BYTES].decode("utf-8", errors="replace")},
        source_ip=client_ip,
    )
    if notice.object_type == "refund":
        return payment
    return payment_sync(payment=payment, source_ip=client_ip)


def payment_capture(*, payment, actor):
    """Подтвердить двухстадийный платёж (списать удержанные деньги) — действие менеджера."""
    if payment.status != PaymentStatus.WAITING_FOR_CAPTURE:
        raise exceptions.PaymentNotCapturable()
    provider = _provider(payment.provider)
    try:
        answer = provider.payment_capture(
            payment.provider_payment_id,
            amount=payment.amount,
            currency=payment.currency,
            idempotence_key=f"capture-{payment.idempotence_key}",
        )
    except ProviderError as error:
        _event(payment=payment, provider=payment.provider, kind=EventKind.PROVIDER_ERROR, code=error.code, actor=actor)
        raise exceptions.ProviderUnavailable() if error.retryable else exceptions.ProviderRejected() from error
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        return _apply_provider_state(payment=locked, answer=answer, actor=actor)


def payment_cancel(*, payment, actor):
    """Отменить незавершённый платёж — действие менеджера."""
    if payment.status not in OPEN_STATUSES:
        raise exceptions.PaymentNotCancellable()
    provider = _provider(payment.provider)
    try:
        answer = provider.payment_cancel(
            payment.provider_payment_id, idempotence_key=f"cancel-{payment.idempotence_key}"
        )
    except ProviderError as error:
        _event(payment=payment, provider=payment.provider, kind=EventKind.PROVIDER_ERROR, code=error.code, actor=actor)
        raise exceptions.ProviderUnavailable() if error.retryable else exceptions.ProviderRejected() from error
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        return _apply_provider_state(payment=locked, answer=answer, actor=actor)


def refund_line_create(*, payment, line, reason, actor):
    """Вернуть деньги за одну строку заказа: её сумму со всеми скидками (OrderLine.line_total).

    Скидка заказа разложена по строкам до копейки при оформлении, поэтому возврат строки
    возвращает ровно то, что за неё заплачено; уже возвращённое по строке вычитается.
    Чек возврата перечисляет позиции этой строки.

    Raises:
        RefundNotAllowed (409): по строке всё уже возвращено (или это подарок), по платежу нечего возвращать.
        RefundAmountInvalid (400), ProviderUnavailable (503), ProviderRejected (502): как refund_create.
    """
    return refund_create(payment=payment, amount=None, reason=reason, actor=actor, order_line=line)


def _line_refundable(*, line):
    refunded = Refund.objects.filter(order_line=line).exclude(status=RefundStatus.CANCELLED).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0.00")
    return (line.line_total - refunded).quantize(Decimal("0.01"))


def refund_create(*, payment, amount, reason, actor, order_line=None):
    """Вернуть деньги по платежу полностью или частично (или за строку заказа order_line).

    Сумма не больше оставшейся к возврату; строка платежа заблокирована на время операции,
    поэтому два одновременных возврата не превысят сумму платежа (и сумму строки).

    Raises:
        RefundNotAllowed (409), RefundAmountInvalid (400), ProviderUnavailable (503), ProviderRejected (502).
    """
    with transaction.atomic():
        locked = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        if locked.refundable_amount <= 0:
            raise exceptions.RefundNotAllowed()
        if order_line is not None:
            if order_line.order_id != locked.order_id:
                raise exceptions.RefundAmountInvalid()
            amount = _line_refundable(line=order_line)
            if amount <= 0:
                raise exceptions.RefundNotAllowed()
        amount = Decimal(amount).quantize(Decimal("0.01"))
        if amount <= 0 or amount > locked.refundable_amount:
            raise exceptions.RefundAmountInvalid()
        provider = _provider(locked.provider)
        refund = Refund.objects.create(
            payment=locked,
            order_line=order_line,
            amount=amount,
            reason=reason[:250],
            idempotence_key=str(uuid.uuid4()),
            created_by=actor,
        )
        if order_line is not None:
            receipt = receipt_for_line_refund(order=locked.order, line=order_line, amount=amount)
        else:
            receipt = receipt_for_refund(order=locked.order, amount=amount)
        try:
            answer = provider.refund_create(
                locked.provider_payment_id,
                amount=amount,
                currency=locked.currency,
                description=reason,
                idempotence_key=refund.idempotence_key,
                receipt=receipt if provider.is_online else None,
            )
        except ProviderError as error:
            # Возврат не состоялся: транзакция откатывается целиком, а событие пишем отдельно.
            transaction.set_rollback(True)
            failure = error
        else:
            failure = None
            refund.status = answer.status
            refund.provider_refund_id = answer.provider_refund_id
            refund.save(update_fields=["status", "provider_refund_id", "updated_at"])
            if answer.status != RefundStatus.CANCELLED:
                locked.refunded_amount += amount
                locked.status = (
                    PaymentStatus.REFUNDED
                    if locked.refunded_amount >= locked.amount
                    else PaymentStatus.PARTIALLY_REFUNDED
                )
                locked.save(update_fields=["refunded_amount", "status", "updated_at"])
            _event(
                payment=locked,
                provider=locked.provider,
                kind=EventKind.REFUND,
                code=answer.status,
                payload={"amount": str(amount), "reason": reason, "provider": answer.raw},
                to_status=locked.status,
                actor=actor,
            )
    if failure is not None:
        _event(
            payment=payment, provider=payment.provider, kind=EventKind.PROVIDER_ERROR, code=failure.code, actor=actor
        )
        raise exceptions.ProviderUnavailable() if failure.retryable else exceptions.ProviderRejected()
    return refund


def sandbox_payment_simulate(*, payment, outcome):
    """Изобразить действие покупателя у тестового провайдера и применить результат."""
    provider = _provider(payment.provider)
    if not hasattr(provider, "simulate"):
        raise exceptions.ProviderNotEnabled()
    try:
        provider.simulate(payment.provider_payment_id, outcome=outcome)
    except ProviderError as error:
        raise exceptions.PaymentNotCapturable() from error
    return payment_sync(payment=payment)


@transaction.atomic
def region_provider_enable(*, region, provider, sort_order=0):
    """Включить провайдера оплаты в регионе (создать или включить строку «провайдер в регионе»).

    Идемпотентно: повторный вызов для включённого провайдера ничего не меняет.

    Returns:
        (RegionPaymentProvider, changed) — changed=True, если строка создана или включена.
    """
    row, created = RegionPaymentProvider.objects.get_or_create(
        region=region, provider=provider, defaults={"is_enabled": True, "sort_order": sort_order}
    )
    if not created and not row.is_enabled:
        row.is_enabled = True
        row.save(update_fields=["is_enabled"])
        return row, True
    return row, created
