"""Акции: скидки каталога, правила корзины, промокоды и учёт их применений.

Три вида акций (PromotionKind): скидка каталога (цена и старая цена в списке и карточке),
автоматическое правило корзины и промокод (то же правило, но действует только с кодом).
Акция действует в выбранных регионах (пусто — во всех) с даты начала до даты окончания.
Скидку каталога на витрине включает и выключает задача Celery beat (поле ``is_live``):
списки, карточки, поиск и корзина читают один и тот же признак, поэтому цены в них совпадают.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class PromotionKind(models.TextChoices):
    CATALOG = "catalog", _("скидка в каталоге")
    CART = "cart", _("правило корзины (автоматически)")
    CODE = "code", _("промокод")


class PromotionEffect(models.TextChoices):
    """Что делает правило корзины или промокод."""

    ORDER_DISCOUNT = "order_discount", _("скидка на товары заказа")
    NTH_ITEM = "nth_item", _("скидка на каждый N-й товар")
    GIFT = "gift", _("подарок при сумме от")
    FREE_DELIVERY = "free_delivery", _("бесплатная доставка при сумме от")


class DiscountType(models.TextChoices):
    PERCENT = "percent", _("процент")
    FIXED = "fixed", _("сумма, ₽")


class Promotion(ClusterableModel):
    """Акция: вид, размер скидки, условия, товары, регионы, даты и правила сочетания."""

    name = models.CharField(_("название"), max_length=150)
    kind = models.CharField(_("вид"), max_length=16, choices=PromotionKind.choices, default=PromotionKind.CATALOG)
    effect = models.CharField(
        _("действие"),
        max_length=20,
        choices=PromotionEffect.choices,
        default=PromotionEffect.ORDER_DISCOUNT,
        help_text=_("Для правил корзины и промокодов; у скидки каталога не используется."),
    )
    discount_type = models.CharField(
        _("тип скидки"), max_length=10, choices=DiscountType.choices, default=DiscountType.PERCENT
    )
    discount_value = models.DecimalField(
        _("размер скидки"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Процент (1–100) или сумма в рублях."),
    )
    nth_item = models.PositiveSmallIntegerField(
        _("каждый N-й товар"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_("Для «скидки на N-й товар»: 2 — каждый второй (скидка на самый дешёвый из пары)."),
    )
    gift_variant = models.ForeignKey(
        "catalog.Variant",
        verbose_name=_("подарок"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Вариант товара, который добавляется в заказ бесплатно."),
    )
    label = models.CharField(
        _("плашка на витрине"), max_length=40, blank=True, default="", help_text=_("Например «−20 %» или «Распродажа».")
    )
    description = models.TextField(_("описание для покупателя"), blank=True, default="")
    regions = ParentalManyToManyField(
        "regions.Region", verbose_name=_("регионы"), blank=True, related_name="+", help_text=_("Пусто — во всех.")
    )
    starts_at = models.DateTimeField(_("начало"), default=timezone.now)
    ends_at = models.DateTimeField(_("окончание"), null=True, blank=True, help_text=_("Пусто — без срока."))
    is_active = models.BooleanField(_("включена"), default=True)
    priority = models.IntegerField(
        _("приоритет"), default=0, help_text=_("Больше — важнее: применяется первой и решает при исключении.")
    )
    is_exclusive = models.BooleanField(
        _("не сочетается с другими"),
        default=False,
        help_text=_("Исключающая акция корзины применяется одна; сочетаемые складываются между собой."),
    )
    skip_discounted_items = models.BooleanField(
        _("не на товары со скидкой каталога"),
        default=False,
        help_text=_("Правило корзины не действует на строки, уже подешевевшие по скидке каталога."),
    )
    # Условия правил корзины и промокодов.
    min_subtotal = models.DecimalField(
        _("минимальная сумма товаров"), **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    first_order_only = models.BooleanField(_("только на первый заказ"), default=False)
    usage_limit = models.PositiveIntegerField(
        _("всего применений"), null=True, blank=True, help_text=_("Пусто — без ограничения.")
    )
    per_customer_limit = models.PositiveIntegerField(_("применений на покупателя"), null=True, blank=True)
    # Товары акции: пусто во всех четырёх — акция на все товары.
    categories = ParentalManyToManyField(
        "catalog.Category",
        verbose_name=_("категории (с подкатегориями)"),
        blank=True,
        related_name="+",
    )
    brands = ParentalManyToManyField("catalog.Brand", verbose_name=_("бренды"), blank=True, related_name="+")
    attribute_choices = ParentalManyToManyField(
        "catalog.AttributeChoice", verbose_name=_("значения атрибутов"), blank=True, related_name="+"
    )
    products = ParentalManyToManyField("catalog.Product", verbose_name=_("товары"), blank=True, related_name="+")
    # Что сейчас отражают предложения каталога: включает и выключает задача beat.
    is_live = models.BooleanField(_("действует на витрине"), default=False, editable=False)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)

    class Meta:
        verbose_name = _("акция")
        verbose_name_plural = _("акции")
        ordering = ["-priority", "id"]
        permissions = [("view_promotion_report", _("Может смотреть отчёт по акциям"))]
        constraints = [
            models.CheckConstraint(condition=Q(discount_value__gte=0), name="promotions_promotion_value_gte_0"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="promotions_promotion_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_active"], name="promotions_kind_active")]

    def __str__(self):
        return self.name

    def is_running(self, now=None):
        """Вернуть, идёт ли акция сейчас по датам и включена ли она."""
        now = now or timezone.now()
        return self.is_active and self.starts_at <= now and (self.ends_at is None or now < self.ends_at)

    def clean(self):
        """Проверить согласованность полей вида и действия."""
        errors = {}
        if self.discount_type == DiscountType.PERCENT and self.discount_value > 100:
            errors["discount_value"] = _("Процент скидки — не больше 100.")
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Окончание должно быть позже начала.")
        if self.kind != PromotionKind.CATALOG:
            if self.effect == PromotionEffect.NTH_ITEM and not self.nth_item:
                errors["nth_item"] = _("Укажите, каждый какой товар дешевле.")
            if self.effect == PromotionEffect.GIFT and self.gift_variant_id is None:
                errors["gift_variant"] = _("Выберите подарок.")
            if self.effect in (PromotionEffect.GIFT, PromotionEffect.FREE_DELIVERY) and self.min_subtotal is None:
                errors["min_subtotal"] = _("Укажите сумму, от которой действует акция.")
        if errors:
            raise ValidationError(errors)


def promo_code_normalize(value):
    """Привести промокод к виду хранения: без пробелов по краям, заглавными буквами."""
    return (value or "").strip().upper()


class PromoCode(models.Model):
    """Промокод акции вида «промокод»: свой лимит применений (1 — одноразовый)."""

    promotion = ParentalKey(Promotion, verbose_name=_("акция"), on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("код"), max_length=40, unique=True)
    usage_limit = models.PositiveIntegerField(
        _("применений кода"), null=True, blank=True, help_text=_("1 — одноразовый; пусто — без ограничения.")
    )
    per_customer_limit = models.PositiveIntegerField(_("применений кода на покупателя"), null=True, blank=True)
    is_active = models.BooleanField(_("действует"), default=True)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        verbose_name = _("промокод")
        verbose_name_plural = _("промокоды")
        ordering = ["code"]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.code = promo_code_normalize(self.code)
        super().save(*args, **kwargs)


class PromotionUsage(models.Model):
    """Применение акции в заказе: сколько скидки дано. Лимиты считаются по этим строкам."""

    promotion = models.ForeignKey(Promotion, verbose_name=_("акция"), on_delete=models.PROTECT, related_name="usages")
    code = models.ForeignKey(
        PromoCode, verbose_name=_("промокод"), null=True, blank=True, on_delete=models.PROTECT, related_name="usages"
    )
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("заказ"), on_delete=models.CASCADE, related_name="promotion_usages"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("покупатель"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Покупатель для лимита «на покупателя»: user:<id> или phone:<E.164> у гостя.
    customer_key = models.CharField(_("покупатель (ключ)"), max_length=64, db_index=True)
    discount_amount = models.DecimalField(_("скидка"), **MONEY, default=Decimal("0.00"))
    free_delivery = models.BooleanField(_("бесплатная доставка"), default=False)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("применение акции")
        verbose_name_plural = _("применения акций")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["promotion", "order"], name="promotions_usage_once_per_order"),
        ]

    def __str__(self):
        return f"{self.promotion_id} → {self.order_id}"
