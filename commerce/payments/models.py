"""Платёж, журнал событий платежа, возврат и провайдеры, включённые в регионе.

Сумма платежа всегда берётся из заказа на сервере. Журнал событий — только дополняется:
это обеспечивает и код (save/delete/QuerySet), и триггер PostgreSQL (миграция 0002).
Данных карт здесь нет и быть не может: карту вводят на стороне провайдера.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commerce.journal import AppendOnlyModel
from commerce.payments.providers.base import PaymentStatus as ProviderStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


class PaymentStatus(models.TextChoices):
    PENDING = ProviderStatus.PENDING, _("ожидает оплаты")
    WAITING_FOR_CAPTURE = ProviderStatus.WAITING_FOR_CAPTURE, _("ожидает подтверждения")
    SUCCEEDED = ProviderStatus.SUCCEEDED, _("оплачен")
    CANCELLED = ProviderStatus.CANCELLED, _("отменён")
    # Контекст перевода: «возвращён» у платежа — это refunded, у заказа — returned.
    PARTIALLY_REFUNDED = "partially_refunded", pgettext_lazy("payment status", "частично возвращён")
    REFUNDED = "refunded", pgettext_lazy("payment status", "возвращён")


OPEN_STATUSES = (PaymentStatus.PENDING, PaymentStatus.WAITING_FOR_CAPTURE)


class Payment(models.Model):
    """Платёж по заказу у одного провайдера."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("заказ"), on_delete=models.PROTECT, related_name="payments"
    )
    provider = models.CharField(_("провайдер"), max_length=32)
    status = models.CharField(_("статус"), max_length=24, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    amount = models.DecimalField(_("сумма"), **MONEY)
    currency = models.CharField(_("валюта"), max_length=3)
    refunded_amount = models.DecimalField(_("возвращено"), default=Decimal("0.00"), **MONEY)
    provider_payment_id = models.CharField(_("id у провайдера"), max_length=64, blank=True, default="")
    # Ключ идемпотентности создания платежа: повтор после сбоя сети идёт с тем же ключом,
    # и провайдер возвращает тот же платёж, а не второй.
    idempotence_key = models.CharField(_("ключ идемпотентности"), max_length=64, unique=True, editable=False)
    confirmation_url = models.URLField(_("ссылка на оплату"), max_length=2000, blank=True, default="")
    needs_review = models.BooleanField(_("требует проверки"), default=False)
    review_reason = models.CharField(_("причина проверки"), max_length=255, blank=True, default="")
    last_synced_at = models.DateTimeField(_("сверен с провайдером"), null=True, blank=True)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("платёж")
        verbose_name_plural = _("платежи")
        ordering = ["-created_at", "-id"]
        permissions = [("refund_payment", _("Может оформлять возвраты"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_payment_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("amount")),
                name="payments_payment_refunded_within_amount",
            ),
            # У заказа не больше одного незавершённого платежа: повторный «оплатить»
            # возвращает его, а не создаёт второй.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=["pending", "waiting_for_capture"]),
                name="payments_one_open_payment_per_order",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"],
                condition=~Q(provider_payment_id=""),
                name="payments_provider_payment_id_unique",
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.provider_payment_id or '—'} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def refundable_amount(self):
        if self.status not in (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED):
            return Decimal("0.00")
        return self.amount - self.refunded_amount


class EventKind(models.TextChoices):
    REQUEST_SENT = "request_sent", _("запрос провайдеру")
    PROVIDER_ANSWER = "provider_answer", _("ответ провайдера")
    PROVIDER_ERROR = "provider_error", _("ошибка провайдера")
    WEBHOOK_RECEIVED = "webhook_received", _("уведомление принято")
    WEBHOOK_REJECTED = "webhook_rejected", _("уведомление отклонено")
    STATUS_CHANGED = "status_changed", _("смена статуса")
    REVIEW_FLAGGED = "review_flagged", _("отмечен для проверки")
    REFUND = "refund", _("возврат")


class PaymentEvent(AppendOnlyModel):
    """Событие платежа: что отправили, что ответили, что пришло в уведомлении (секреты скрыты).

    Событие без платежа — отклонённое уведомление о неизвестном платеже: его тоже храним.
    """

    payment = models.ForeignKey(
        Payment, verbose_name=_("платёж"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    provider = models.CharField(_("провайдер"), max_length=32)
    kind = models.CharField(_("событие"), max_length=24, choices=EventKind.choices)
    from_status = models.CharField(_("из статуса"), max_length=24, blank=True, default="")
    to_status = models.CharField(_("в статус"), max_length=24, blank=True, default="")
    code = models.CharField(_("код"), max_length=64, blank=True, default="")
    payload = models.JSONField(_("данные"), default=dict, blank=True)
    source_ip = models.GenericIPAddressField(_("адрес источника"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("событие платежа")
        verbose_name_plural = _("события платежей")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.from_status}→{self.to_status}".strip()


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("выполняется")
    SUCCEEDED = "succeeded", _("выполнен")
    CANCELLED = "cancelled", _("отклонён")


class Refund(models.Model):
    """Возврат денег по платежу (полный или частичный)."""

    payment = models.ForeignKey(Payment, verbose_name=_("платёж"), on_delete=models.PROTECT, related_name="refunds")
    # Возврат одной строки заказа (её суммы со скидкой); пусто — возврат суммой.
    order_line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("строка заказа"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    amount = models.DecimalField(_("сумма"), **MONEY)
    reason = models.CharField(_("причина"), max_length=250)
    status = models.CharField(_("статус"), max_length=16, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    provider_refund_id = models.CharField(_("id у провайдера"), max_length=64, blank=True, default="")
    idempotence_key = models.CharField(_("ключ идемпотентности"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("возврат")
        verbose_name_plural = _("возвраты")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payments_refund_amount_gt_0")]

    def __str__(self):
        return f"{self.amount} ({self.get_status_display()})"


class RegionPaymentProvider(models.Model):
    """Провайдер, включённый в регионе: какие способы оплаты видит покупатель региона."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("регион"), on_delete=models.CASCADE, related_name="payment_providers"
    )
    provider = models.CharField(_("провайдер"), max_length=32)
    is_enabled = models.BooleanField(_("включён"), default=True)
    sort_order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("провайдер в регионе")
        verbose_name_plural = _("провайдеры в регионах")
        ordering = ["region", "sort_order", "provider"]
        constraints = [
            models.UniqueConstraint(fields=["region", "provider"], name="payments_region_provider_unique"),
        ]

    def __str__(self):
        return f"{self.region} — {self.provider}"
