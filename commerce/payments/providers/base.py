"""Интерфейс провайдера платежей и данные на его границе.

Провайдер ничего не знает о наших моделях: он получает и возвращает простые dataclass-объекты.
Сервисы платежей (commerce.payments.services) переводят их в строки базы и события.
Статусы на границе — наши (``PaymentStatus``), провайдер переводит свои в них сам.
"""

from dataclasses import dataclass, field
from decimal import Decimal


class PaymentStatus:
    """Статусы платежа в словаре Megashop."""

    PENDING = "pending"
    WAITING_FOR_CAPTURE = "waiting_for_capture"
    SUCCEEDED = "succeeded"
    CANCELLED = "cancelled"
    FINAL = frozenset({SUCCEEDED, CANCELLED})


class RefundStatus:
    """Статусы возврата."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ReceiptItem:
    """Позиция чека 54-ФЗ: цена — за единицу, сумма позиции = цена × количество."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_code: int
    payment_subject: str = "commodity"
    payment_mode: str = "full_prepayment"
    measure: str = ""


@dataclass(frozen=True)
class Receipt:
    """Чек 54-ФЗ: покупатель (e-mail или телефон обязателен) и позиции."""

    items: tuple[ReceiptItem, ...]
    customer_email: str = ""
    customer_phone: str = ""
    customer_name: str = ""
    tax_system_code: int | None = None

    @property
    def total(self):
        return sum((item.unit_price * item.quantity for item in self.items), Decimal("0.00"))


@dataclass(frozen=True)
class PaymentRequest:
    """Что сервис просит у провайдера при создании платежа."""

    amount: Decimal
    currency: str
    description: str
    order_number: str
    return_url: str
    idempotence_key: str
    capture: bool = True
    receipt: Receipt | None = None
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderPayment:
    """Состояние платежа у провайдера."""

    provider_payment_id: str
    status: str
    amount: Decimal
    currency: str
    confirmation_url: str = ""
    metadata: dict = field(default_factory=dict)
    cancellation_reason: str = ""
    refunded_amount: Decimal = Decimal("0.00")
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderRefund:
    """Состояние возврата у провайдера."""

    provider_refund_id: str
    provider_payment_id: str
    status: str
    amount: Decimal
    currency: str
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class WebhookNotice:
    """Уведомление провайдера после проверки источника: что и о каком объекте сообщено.

    Тело уведомления не считается правдой: сервис перечитывает объект у провайдера по id.
    """

    event: str
    object_type: str  # "payment" или "refund"
    object_id: str


class ProviderError(Exception):
    """Ошибка обращения к провайдеру.

    ``retryable`` — повтор с тем же ключом идемпотентности может помочь (сеть, 5xx, 202);
    ``code`` — короткий машинный код для журнала событий (не показывается покупателю).
    """

    def __init__(self, code, message, *, retryable=False, raw=None):
        super().__init__(message)
        self.code = code
        self.retryable = retryable
        self.raw = raw or {}


class WebhookRejected(Exception):
    """Уведомление отклонено: чужой адрес, испорченное тело, неизвестный объект."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class PaymentProvider:
    """Провайдер платежей. Реализации: yookassa, cash_on_delivery, test.

    Атрибуты класса:
        code: код провайдера в настройках и URL вебхука.
        is_online: нужен ли покупателю шаг оплаты (переход по confirmation_url).
        supports_webhooks: принимает ли провайдер уведомления.
        name: название для покупателя (gettext_lazy — на языке запроса).
        methods: чем можно заплатить на его странице: ((код, название), ...) — для витрины.
    """

    code = ""
    is_online = True
    supports_webhooks = False
    name = ""
    methods = ()

    def payment_create(self, request):
        """Создать платёж.

        Args:
            request: PaymentRequest; idempotence_key обязателен и хранится вызывающим.
        Returns:
            ProviderPayment со статусом pending (или сразу итоговым) и confirmation_url.
        Raises:
            ProviderError: при ошибке; retryable=True — повторить с тем же ключом.
        """
        raise NotImplementedError

    def payment_fetch(self, provider_payment_id):
        """Получить текущее состояние платежа у провайдера.

        Returns:
            ProviderPayment.
        Raises:
            ProviderError: платёж не найден (code="not_found") или провайдер недоступен.
        """
        raise NotImplementedError

    def payment_capture(self, provider_payment_id, *, amount, currency, idempotence_key):
        """Подтвердить (списать) платёж в статусе waiting_for_capture.

        Returns:
            ProviderPayment.
        Raises:
            ProviderError.
        """
        raise NotImplementedError

    def payment_cancel(self, provider_payment_id, *, idempotence_key):
        """Отменить платёж, ещё не списанный окончательно.

        Returns:
            ProviderPayment.
        Raises:
            ProviderError.
        """
        raise NotImplementedError

    def refund_create(self, provider_payment_id, *, amount, currency, description, idempotence_key, receipt=None):
        """Вернуть деньги полностью или частично.

        Returns:
            ProviderRefund.
        Raises:
            ProviderError.
        """
        raise NotImplementedError

    def webhook_parse(self, *, body, client_ip):
        """Проверить источник уведомления и извлечь из тела, о каком объекте речь.

        Args:
            body: сырое тело запроса (bytes).
            client_ip: адрес отправителя с учётом доверенных прокси.
        Returns:
            WebhookNotice.
        Raises:
            WebhookRejected: адрес не из опубликованных сетей провайдера, тело не разобрать.
        """
        raise WebhookRejected("not_supported", "Провайдер не принимает уведомления.")
