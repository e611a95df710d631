"""Модели ядра интеграций: подключение, outbox и доставки, входящие вебхуки, журнал и сопоставления."""

import secrets as token_secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator

from integrations.core import crypto
from integrations.core.registry import system_get

# Настройки, общие для всех систем (их понимает ядро); остальное проверяет схема системы.
CORE_OPTIONS_SCHEMA = {
    "type": "object",
    "properties": {
        # Виды событий outbox, на которые подписано подключение (вместо списка системы).
        "events": {"type": "array", "items": {"type": "string"}},
        # Лимит запросов «N/W»: не больше N запросов за W секунд, общий для всех процессов.
        "rate_limit": {"type": "string", "pattern": r"^\d+/\d+(\.\d+)?$"},
    },
}


def webhook_token_generate():
    """Создать неугадываемый токен для адреса входящих вебхуков подключения."""
    return token_secrets.token_urlsafe(32)


class Connection(models.Model):
    """Подключение к внешней системе: адрес, настройки, зашифрованные секреты, включено ли.

    Секреты (пароли, токены OAuth) лежат в ``secrets_encrypted`` одним зашифрованным JSON
    и наружу отдаются только через :meth:`secrets_get`; ни админка, ни журналы их не показывают.
    """

    system = models.CharField(_("система"), max_length=40)
    code = models.SlugField(_("код"), max_length=60, unique=True, help_text=_("Латиницей: moysklad-main."))
    base_url = models.URLField(_("адрес API"), max_length=500, blank=True)
    options = models.JSONField(_("настройки"), default=dict, blank=True)
    secrets_encrypted = models.TextField(_("секреты (зашифрованы)"), blank=True, editable=False)
    webhook_token = models.CharField(
        _("токен вебхуков"), max_length=64, unique=True, default=webhook_token_generate, editable=False
    )
    enabled = models.BooleanField(_("включено"), default=False)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("подключение")
        verbose_name_plural = _("подключения")
        ordering = ["code"]

    def __str__(self):
        return self.code

    def system_instance(self):
        """Вернуть объект системы подключения (LookupError, если коннектор не установлен)."""
        return system_get(self.system)

    def secrets_get(self):
        """Расшифровать секреты ({имя: значение}); SecretKeyMissing — если ключа нет."""
        return crypto.secrets_decrypt(self.secrets_encrypted)

    def secrets_update(self, values):
        """Задать секреты из ``values``; пустое значение оставляет прежнее, ``None`` — стирает.

        Не сохраняет модель. Raises: SecretKeyMissing — ключа шифрования нет.
        """
        current = self.secrets_get() if self.secrets_encrypted else {}
        for name, value in values.items():
            if value is None:
                current.pop(name, None)
            elif value != "":
                current[name] = value
        self.secrets_encrypted = crypto.secrets_encrypt(current)

    def secret_names_set(self):
        """Имена заданных секретов (без расшифровки значений нельзя — поэтому через secrets_get)."""
        return set(self.secrets_get()) if self.secrets_encrypted else set()

    def clean(self):
        try:
            system = self.system_instance()
        except LookupError:
            raise ValidationError({"system": _("Система «%(code)s» не установлена.") % {"code": self.system}}) from None
        options = self.options if self.options is not None else {}
        if not isinstance(options, dict):
            raise ValidationError({"options": _("Настройки — объект JSON.")})
        own = {key: value for key, value in options.items() if key not in CORE_OPTIONS_SCHEMA["properties"]}
        core = {key: value for key, value in options.items() if key in CORE_OPTIONS_SCHEMA["properties"]}
        errors = [
            *Draft202012Validator(CORE_OPTIONS_SCHEMA).iter_errors(core),
            *Draft202012Validator(system.options_schema).iter_errors(own),
        ]
        if errors:
            messages = [f"{'/'.join(map(str, error.path)) or '—'}: {error.message}" for error in errors[:5]]
            raise ValidationError({"options": messages})


class OutboxEvent(models.Model):
    """Доменное событие для внешних систем, записанное в той же транзакции, что и изменение."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # order.created, order.paid, order.status_changed, order.cancelled, customer.created,
    # customer.changed, stock.changed, price.changed
    kind = models.CharField(_("событие"), max_length=40)
    object_type = models.CharField(_("тип объекта"), max_length=40)
    object_id = models.CharField(_("id объекта"), max_length=64)
    payload = models.JSONField(_("данные"), default=dict)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    class Meta:
        verbose_name = _("событие outbox")
        verbose_name_plural = _("события outbox")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.kind} {self.object_type}:{self.object_id}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("ждёт отправки")
    DELIVERING = "delivering", _("отправляется")
    DELIVERED = "delivered", _("доставлено")
    DEAD = "dead", _("не доставлено (исчерпаны попытки)")


class Delivery(models.Model):
    """Доставка одного события одному подключению: попытки, следующая попытка, ключ идемпотентности.

    Порядок по объекту: доставка не берётся в работу, пока у того же подключения есть
    недоставленная (не delivered и не dead) доставка более раннего события того же объекта.
    """

    event = models.ForeignKey(
        OutboxEvent, verbose_name=_("событие"), on_delete=models.CASCADE, related_name="deliveries"
    )
    connection = models.ForeignKey(
        Connection, verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # Копия «тип:id» объекта события — для проверки порядка без соединения с событиями.
    object_key = models.CharField(_("объект"), max_length=110)
    idempotency_key = models.UUIDField(_("ключ идемпотентности"), default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(
        _("состояние"), max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("попыток"), default=0)
    next_attempt_at = models.DateTimeField(_("следующая попытка"))
    # Пока время не вышло, доставку держит воркер; упавший воркер её «отпускает» по истечении.
    locked_until = models.DateTimeField(_("занято до"), null=True, blank=True)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    delivered_at = models.DateTimeField(_("доставлено"), null=True, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    class Meta:
        verbose_name = _("доставка события")
        verbose_name_plural = _("доставки событий")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "connection"], name="integrations_core_delivery_unique"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["pending", "delivering"]),
                name="integrations_core_delivery_due",
            ),
            models.Index(fields=["connection", "object_key", "event"], name="integrations_core_delivery_obj"),
        ]

    def __str__(self):
        return f"{self.event} → {self.connection}"


class WebhookState(models.TextChoices):
    RECEIVED = "received", _("принят")
    PROCESSED = "processed", _("обработан")
    FAILED = "failed", _("ошибка обработки")
    REJECTED = "rejected", _("отклонён")


class InboundWebhook(models.Model):
    """Входящий вебхук: сырой запрос сохраняется до обработки, повтор по id события отбрасывается.

    Поля запроса (тело, заголовки, адрес) пишутся один раз при приёме; меняются только
    состояние обработки и ошибка. У отклонённого запроса тело не хранится — только SHA-256
    и короткое начало, чтобы чужие данные не копились, а разбор был возможен.
    """

    connection = models.ForeignKey(
        Connection, verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="webhooks"
    )
    received_at = models.DateTimeField(_("получен"), auto_now_add=True)
    event_id = models.CharField(_("id события у отправителя"), max_length=200, blank=True)
    body = models.TextField(_("тело"), blank=True)
    body_sha256 = models.CharField(_("SHA-256 тела"), max_length=64)
    body_prefix = models.CharField(_("начало тела"), max_length=64, blank=True)
    headers = models.JSONField(_("заголовки"), default=dict)
    remote_addr = models.GenericIPAddressField(_("IP отправителя"), null=True, blank=True)
    state = models.CharField(_("состояние"), max_length=10, choices=WebhookState.choices)
    error = models.TextField(_("ошибка"), blank=True)
    processed_at = models.DateTimeField(_("обработан"), null=True, blank=True)

    class Meta:
        verbose_name = _("входящий вебхук")
        verbose_name_plural = _("входящие вебхуки")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "event_id"],
                condition=~Q(state="rejected") & ~Q(event_id=""),
                name="integrations_core_webhook_event_unique",
            ),
        ]

    def __str__(self):
        return f"{self.connection} {self.event_id or self.body_sha256[:12]}"


class SyncDirection(models.TextChoices):
    PULL = "pull", _("загрузка из системы")
    PUSH = "push", _("выгрузка в систему")


class SyncState(models.TextChoices):
    RUNNING = "running", _("идёт")
    OK = "ok", _("успешно")
    ERRORS = "errors", _("с ошибками")
    FAILED = "failed", _("прервана")


class SyncRun(models.Model):
    """Запись журнала синхронизации: когда, в какую сторону, сколько объектов и первые ошибки."""

    ERRORS_KEPT = 50

    connection = models.ForeignKey(
        Connection, verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="sync_runs"
    )
    direction = models.CharField(_("направление"), max_length=4, choices=SyncDirection.choices)
    state = models.CharField(_("итог"), max_length=10, choices=SyncState.choices, default=SyncState.RUNNING)
    full = models.BooleanField(_("полная"), default=False)
    dry_run = models.BooleanField(_("пробная"), default=False)
    started_at = models.DateTimeField(_("начата"), auto_now_add=True)
    finished_at = models.DateTimeField(_("закончена"), null=True, blank=True)
    created = models.PositiveIntegerField(_("создано"), default=0)
    updated = models.PositiveIntegerField(_("обновлено"), default=0)
    unchanged = models.PositiveIntegerField(_("без изменений"), default=0)
    skipped = models.PositiveIntegerField(_("пропущено"), default=0)
    failed = models.PositiveIntegerField(_("с ошибкой"), default=0)
    # [{"object": "товар SKU-1", "message": "..."}] — первые ERRORS_KEPT ошибок.
    errors = models.JSONField(_("первые ошибки"), default=list, blank=True)

    class Meta:
        verbose_name = _("синхронизация")
        verbose_name_plural = _("журнал синхронизаций")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["connection", "-started_at"], name="integrations_core_syncrun_conn")]

    def __str__(self):
        return f"{self.connection} {self.get_direction_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        """Длительность (timedelta) или None, пока идёт."""
        return self.finished_at - self.started_at if self.finished_at else None

    def error_add(self, *, obj, message):
        """Посчитать объект с ошибкой и запомнить ошибку, если их ещё меньше ERRORS_KEPT (без сохранения)."""
        self.failed += 1
        if len(self.errors) < self.ERRORS_KEPT:
            self.errors.append({"object": str(obj), "message": str(message)})

    def skip_add(self, *, obj, reason):
        """Посчитать объект пропущенным и запомнить причину рядом с ошибками (без сохранения).

        Для того, что загружать нельзя по смыслу (услуга, комплект, товар без цены): это не
        сбой, поэтому ``failed`` не растёт, но администратор видит, что и почему пропущено.
        """
        self.skipped += 1
        if len(self.errors) < self.ERRORS_KEPT:
            self.errors.append({"object": str(obj), "message": str(reason)})


class ExternalKind(models.TextChoices):
    CUSTOMER = "customer", _("покупатель")
    ORDER = "order", _("заказ")
    WAREHOUSE = "warehouse", _("склад")
    PRICE_LIST = "price_list", _("прайс-лист")
    REGION = "region", _("регион")
    STATUS = "status", _("статус заказа")
    PRODUCT = "product", _("товар")
    VARIANT = "variant", _("вариант")
    CATEGORY = "category", _("категория")
    ATTRIBUTE = "attribute", _("атрибут")


class ExternalId(models.Model):
    """Сопоставление нашего объекта с объектом внешней системы: повторная синхронизация не дублирует."""

    connection = models.ForeignKey(
        Connection, verbose_name=_("подключение"), on_delete=models.CASCADE, related_name="external_ids"
    )
    kind = models.CharField(_("вид"), max_length=12, choices=ExternalKind.choices)
    external_id = models.CharField(_("id во внешней системе"), max_length=255)
    # Наш ключ: pk, код склада или статуса — строкой, чтобы одна таблица служила всем видам.
    object_id = models.CharField(_("наш id"), max_length=64)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("внешний id")
        verbose_name_plural = _("внешние id")
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "kind", "external_id"], name="integrations_core_externalid_unique"
            ),
        ]
        indexes = [models.Index(fields=["connection", "kind", "object_id"], name="integrations_core_extid_obj")]

    def __str__(self):
        return f"{self.connection} {self.kind} {self.external_id} → {self.object_id}"
