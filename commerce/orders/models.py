"""Заказы: шапка со снимком контакта, доставки и сумм, строки-снимки, резервы, история статусов.

Инварианты, которые держит база, а не только код: количество в строках и резервах
положительно, итог = товары − скидка + доставка, номер и секретный токен уникальны, ключ
идемпотентности уникален в своей области (пользователь или корзина). История статусов
только дополняется: изменить или удалить её запись нельзя (save/delete и QuerySet).
"""

import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from commerce.journal import AppendOnlyModel

# Модели доставки живут рядом (delivery_models), здесь — чтобы Django их нашёл.
from commerce.orders.delivery_models import DeliveryMethod, PickupPoint, RegionDeliveryMethod  # noqa: F401
from commerce.orders.status import OrderStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


def order_token_generate():
    """Сгенерировать секретный токен ссылки отслеживания (192 бита случайности)."""
    return secrets.token_urlsafe(24)


class PaymentMethod(models.TextChoices):
    ONLINE = "online", _("онлайн картой")
    CASH_ON_DELIVERY = "cash_on_delivery", _("при получении")


class Order(models.Model):
    """Заказ покупателя (или гостя): всё, что нужно для исполнения, без ссылок на изменчивый каталог."""

    # Индекс ссылок Wagtail («где используется» регион, склад) заказы не ведут: это журнал, а не
    # содержимое, и запись в индекс стоила бы четырёх запросов на каждое оформление.
    wagtail_reference_index_ignore = True

    number = models.CharField(_("номер"), max_length=32, unique=True, editable=False)
    token = models.CharField(
        _("секретный токен"), max_length=64, unique=True, default=order_token_generate, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("покупатель"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("регион"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("статус"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.NEW)
    contact_name = models.CharField(_("имя"), max_length=150)
    contact_phone = PhoneNumberField(_("телефон"))
    contact_email = models.EmailField(_("e-mail"), blank=True, default="")
    delivery_method = models.CharField(_("способ доставки"), max_length=20, choices=DeliveryMethod.choices)
    pickup_warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("пункт самовывоза"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_address = models.TextField(_("адрес доставки"), blank=True, default="")
    # Адрес по полям (индекс, город, улица...) — для службы доставки и выгрузок.
    delivery_address_data = models.JSONField(_("адрес по полям"), default=dict, blank=True)
    comment = models.TextField(_("комментарий покупателя"), blank=True, default="")
    payment_method = models.CharField(_("способ оплаты"), max_length=20, choices=PaymentMethod.choices)
    currency = models.CharField(_("валюта"), max_length=3)
    subtotal = models.DecimalField(_("товары"), **MONEY)
    # Скидка акций корзины и промокода (commerce.promotions), уже разложенная по строкам.
    discount_total = models.DecimalField(_("скидка"), **MONEY, default=0)
    promo_code = models.CharField(_("промокод"), max_length=40, blank=True, default="")
    delivery_cost = models.DecimalField(_("доставка"), **MONEY)
    total = models.DecimalField(_("итого"), **MONEY)
    reserved_until = models.DateTimeField(
        _("резерв до"), null=True, blank=True, help_text=_("Не оплачен к этому сроку — отменяется, резерв снимается.")
    )
    paid_at = models.DateTimeField(_("оплачен"), null=True, blank=True)
    payment_reference = models.CharField(_("платёж"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(_("создан"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("заказ")
        verbose_name_plural = _("заказы")
        ordering = ["-created_at", "-id"]
        # Смена статуса двигает резервы и деньги — отдельное право, не правка контактов заказа.
        permissions = [("change_order_status", _("Может менять статус заказа"))]
        constraints = [
            models.CheckConstraint(condition=Q(subtotal__gte=0), name="orders_order_subtotal_gte_0"),
            models.CheckConstraint(condition=Q(delivery_cost__gte=0), name="orders_order_delivery_cost_gte_0"),
            models.CheckConstraint(condition=Q(discount_total__gte=0), name="orders_order_discount_gte_0"),
            models.CheckConstraint(
                condition=Q(total=F("subtotal") - F("discount_total") + F("delivery_cost")),
                name="orders_order_total_is_sum_less_discount",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "reserved_until"], name="orders_order_reservation"),
            models.Index(fields=["user", "-created_at"], name="orders_order_user_created"),
        ]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    """Строка заказа — снимок варианта на момент оформления: артикул, название, цена."""

    order = models.ForeignKey(Order, verbose_name=_("заказ"), on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.Variant", verbose_name=_("вариант"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sku = models.CharField(_("артикул"), max_length=64)
    product_name = models.CharField(_("товар"), max_length=255)
    product_slug = models.CharField(_("slug товара"), max_length=255, blank=True, default="")
    variant_name = models.CharField(_("вариант"), max_length=255, blank=True, default="")
    # Цена единицы — уже со скидкой каталога; old_unit_price — зачёркнутая (null — без скидки).
    unit_price = models.DecimalField(_("цена"), **MONEY)
    old_unit_price = models.DecimalField(_("цена без скидки"), **MONEY, null=True, blank=True)
    quantity = models.PositiveIntegerField(_("количество"))
    # Доля скидки заказа на строку (до копейки); сумма строки = цена × количество − скидка.
    discount = models.DecimalField(_("скидка"), **MONEY, default=0)
    line_total = models.DecimalField(_("сумма"), **MONEY)
    is_gift = models.BooleanField(_("подарок"), default=False)

    class Meta:
        verbose_name = _("строка заказа")
        verbose_name_plural = _("строки заказа")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_orderline_quantity_gt_0"),
            models.CheckConstraint(condition=Q(discount__gte=0), name="orders_orderline_discount_gte_0"),
            models.CheckConstraint(condition=Q(line_total__gte=0), name="orders_orderline_line_total_gte_0"),
        ]

    def __str__(self):
        return f"{self.sku} × {self.quantity}"


class ReservationState(models.TextChoices):
    ACTIVE = "active", _("в резерве")
    RELEASED = "released", _("снят")
    CONSUMED = "consumed", _("списан")
    RESTOCKED = "restocked", _("возвращён на склад")


class OrderReservation(models.Model):
    """Резерв заказа на одном складе: сколько штук варианта держится (или уже списано)."""

    order = models.ForeignKey(Order, verbose_name=_("заказ"), on_delete=models.CASCADE, related_name="reservations")
    variant = models.ForeignKey(
        "catalog.Variant", verbose_name=_("вариант"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("склад"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("количество"))
    state = models.CharField(
        _("состояние"), max_length=20, choices=ReservationState.choices, default=ReservationState.ACTIVE
    )
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("резерв")
        verbose_name_plural = _("резервы")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_reservation_quantity_gt_0"),
        ]

    def __str__(self):
        return f"{self.variant_id}@{self.warehouse_id} × {self.quantity} ({self.state})"


class OrderStatusChange(AppendOnlyModel):
    """Запись истории статусов: кто, когда, из какого статуса в какой и почему. Только добавление."""

    order = models.ForeignKey(Order, verbose_name=_("заказ"), on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("из статуса"), max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("в статус"), max_length=20, choices=OrderStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("комментарий"), blank=True, default="")
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("смена статуса")
        verbose_name_plural = _("история статусов")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


class IdempotencyState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("выполняется")
    COMPLETED = "completed", _("выполнен")


class IdempotencyKey(models.Model):
    """Ключ Idempotency-Key оформления: отпечаток запроса и сохранённый ответ.

    Область (scope) — пользователь или анонимная корзина: одинаковые ключи разных
    покупателей не пересекаются.
    """

    scope = models.CharField(_("область"), max_length=100)
    key = models.CharField(_("ключ"), max_length=255)
    request_hash = models.CharField(_("отпечаток запроса"), max_length=64)
    state = models.CharField(_("состояние"), max_length=20, choices=IdempotencyState.choices)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("ключ идемпотентности")
        verbose_name_plural = _("ключи идемпотентности")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="orders_idempotency_scope_key")]

    def __str__(self):
        return f"{self.scope}:{self.key}"


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class NotificationTemplate(models.Model):
    """Редактируемый шаблон уведомления покупателю о переходе заказа в статус.

    Тема и текст — шаблоны Django: доступны ``order`` (номер, суммы, контакт),
    ``status`` (название статуса), ``comment`` и ``tracking_url``.
    """

    status = models.CharField(_("статус"), max_length=20, choices=OrderStatus.choices)
    channel = models.CharField(_("канал"), max_length=10, choices=NotificationChannel.choices)
    subject = models.CharField(_("тема письма"), max_length=255, blank=True, default="")
    body = models.TextField(_("текст"))
    is_active = models.BooleanField(_("отправлять"), default=True)

    class Meta:
        verbose_name = _("шаблон уведомления о заказе")
        verbose_name_plural = _("шаблоны уведомлений о заказах")
        ordering = ["status", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["status", "channel"], name="orders_notificationtemplate_unique"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} — {self.get_channel_display()}"


class OrderNotification(models.Model):
    """Отметка об отправленном уведомлении: повтор задачи не шлёт его второй раз."""

    change = models.ForeignKey(OrderStatusChange, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=10, choices=NotificationChannel.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("отправленное уведомление")
        verbose_name_plural = _("отправленные уведомления")
        constraints = [models.UniqueConstraint(fields=["change", "channel"], name="orders_notification_unique")]

    def __str__(self):
        return f"{self.change_id}: {self.channel}"


class OrderLineChange(AppendOnlyModel):
    """Запись истории правок строк заказа (line_edits): кто, когда, какие строки и итог. Только добавление.

    Смена строк — не смена статуса, поэтому это отдельный журнал: запись в OrderStatusChange
    с тем же статусом разослала бы интеграциям событие «статус изменён» (а для оплаченного — «оплачен»).
    """

    order = models.ForeignKey(Order, verbose_name=_("заказ"), on_delete=models.CASCADE, related_name="line_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("комментарий"), blank=True, default="")
    # [{sku, name, quantity_before, quantity, unit_price_before, unit_price}]; 0 — строки не было / нет.
    changes = models.JSONField(_("изменения строк"), default=list, encoder=DjangoJSONEncoder)
    total_before = models.DecimalField(_("итого до"), **MONEY)
    total = models.DecimalField(_("итого после"), **MONEY)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("правка строк заказа")
        verbose_name_plural = _("правки строк заказа")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.order_id}: {self.total_before} → {self.total}"
