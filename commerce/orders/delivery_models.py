"""Доставка в регионе: способы с ценой, порогом бесплатной доставки и городами; пункты самовывоза.

Модели правит редактор в Wagtail admin (commerce.orders.wagtail_hooks). Читают их только
функции commerce.orders.delivery: и справочник витрины, и расчёт стоимости, и оформление
заказа идут через них, поэтому правило стоимости доставки одно.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("самовывоз со склада")
    COURIER = "courier", _("курьер")
    POST = "post", _("почта")


class RegionDeliveryMethod(models.Model):
    """Способ доставки, включённый в регионе: цена, бесплатно от суммы, города, срок.

    Регион без единой строки получает способы по умолчанию из ORDERS_DELIVERY_RULES; как
    только у региона есть хотя бы одна строка, доступны только его включённые строки.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("регион"), on_delete=models.CASCADE, related_name="delivery_methods"
    )
    method = models.CharField(_("способ"), max_length=20, choices=DeliveryMethod.choices)
    name = models.CharField(
        _("название для покупателя"), max_length=100, blank=True, help_text=_("Пусто — название способа.")
    )
    description = models.TextField(_("описание"), blank=True)
    cost = models.DecimalField(_("стоимость"), default=0, validators=[MinValueValidator(0)], **MONEY)
    free_from = models.DecimalField(
        _("бесплатно от суммы товаров"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Пусто — доставка платная при любой сумме."),
        **MONEY,
    )
    cities = models.TextField(
        _("города"),
        blank=True,
        help_text=_("По одному городу в строке: способ доступен только для них. Пусто — весь регион."),
    )
    min_days = models.PositiveSmallIntegerField(
        _("срок от, дней"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    max_days = models.PositiveSmallIntegerField(
        _("срок до, дней"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    is_enabled = models.BooleanField(_("включён"), default=True)
    sort_order = models.IntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("способ доставки региона")
        verbose_name_plural = _("способы доставки регионов")
        ordering = ["region", "sort_order", "method"]
        constraints = [
            models.UniqueConstraint(fields=["region", "method"], name="orders_region_delivery_method_unique"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="orders_region_delivery_cost_gte_0"),
            models.CheckConstraint(
                condition=Q(min_days__isnull=True) | Q(max_days__isnull=True) | Q(min_days__lte=models.F("max_days")),
                name="orders_region_delivery_days_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.region} — {self.display_name}"

    @property
    def display_name(self):
        return self.name or str(DeliveryMethod(self.method).label)

    def clean(self):
        if self.min_days is not None and self.max_days is not None and self.min_days > self.max_days:
            raise ValidationError({"max_days": _("Срок «до» не может быть меньше срока «от».")})

    def city_list(self):
        """Вернуть города способа (без пустых строк); пустой список — весь регион."""
        return [line.strip() for line in self.cities.splitlines() if line.strip()]


class PickupPoint(models.Model):
    """Сведения о самовывозе со склада: часы работы, координаты, как найти.

    Без строки активный склад региона всё равно служит пунктом самовывоза (с адресом склада);
    выключенная строка убирает склад из самовывоза.
    """

    warehouse = models.OneToOneField(
        "inventory.Warehouse", verbose_name=_("склад"), on_delete=models.CASCADE, related_name="pickup_point"
    )
    is_enabled = models.BooleanField(_("выдаёт заказы"), default=True)
    hours = models.CharField(_("часы работы"), max_length=200, blank=True, help_text=_("Например: ежедневно 10–21."))
    latitude = models.DecimalField(
        _("широта"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("долгота"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    instructions = models.TextField(_("как найти"), blank=True)

    class Meta:
        verbose_name = _("пункт самовывоза")
        verbose_name_plural = _("пункты самовывоза")
        ordering = ["warehouse__sort_order", "warehouse__code"]

    def __str__(self):
        return str(self.warehouse)
