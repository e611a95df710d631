"""Цены: прайс-лист на регион и базовый прайс-лист, цена варианта в прайс-листе.

Цена варианта в регионе — строка прайс-листа региона, а если её нет — строка базового
прайс-листа. Валюта прайс-листа региона — валюта региона (проставляется при сохранении).
Вариант без цены ни в одном из двух листов на витрине показан недоступным.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

MONEY_MAX_DIGITS = 12
MONEY_DECIMAL_PLACES = 2


class PriceList(models.Model):
    """Прайс-лист: базовый (один на магазин) или региональный (не больше одного на регион)."""

    code = models.SlugField(_("код"), max_length=64, unique=True)
    name = models.CharField(_("название"), max_length=150)
    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("регион"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="price_list",
        help_text=_("Пусто — базовый прайс-лист: его цены действуют там, где у региона своей цены нет."),
    )
    currency = models.CharField(
        _("валюта"),
        max_length=3,
        default="RUB",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Трёхбуквенный код ISO 4217, например RUB."))],
        help_text=_("У регионального прайс-листа — валюта региона."),
    )
    is_active = models.BooleanField(_("активен"), default=True)

    class Meta:
        verbose_name = _("прайс-лист")
        verbose_name_plural = _("прайс-листы")
        ordering = ["region__sort_order", "code"]
        constraints = [
            # Базовый прайс-лист (без региона) — ровно один.
            # Базовый прайс-лист (без региона) — не больше одного: NULL в выражении становится 0.
            models.UniqueConstraint(Coalesce("region", Value(0)), name="pricing_pricelist_single_base"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Сохранить прайс-лист, взяв валюту из региона."""
        if self.region_id is not None:
            self.currency = self.region.currency
        super().save(*args, **kwargs)

    @property
    def is_base(self):
        """Базовый ли это прайс-лист (без региона)."""
        return self.region_id is None

    def clean(self):
        """Не дать завести второй базовый прайс-лист (ограничение базы ловит гонки)."""
        if self.region_id is None and PriceList.objects.filter(region__isnull=True).exclude(pk=self.pk).exists():
            raise ValidationError({"region": _("Базовый прайс-лист уже есть; выберите регион.")})


class VariantPrice(models.Model):
    """Цена варианта в прайс-листе; старая цена — для зачёркивания и больше текущей."""

    # Отдельных индексов на variant и price_list нет: их заменяют уникальный (variant, price_list)
    # и (price_list, variant). Лишний индекс — лишняя запись на каждую цену при импорте каталога.
    variant = ParentalKey(
        "catalog.Variant", verbose_name=_("вариант"), on_delete=models.CASCADE, related_name="prices", db_index=False
    )
    price_list = models.ForeignKey(
        PriceList, verbose_name=_("прайс-лист"), on_delete=models.CASCADE, related_name="prices", db_index=False
    )
    price = models.DecimalField(
        _("цена"),
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("0"))],
    )
    old_price = models.DecimalField(
        _("старая цена"),
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Зачёркнутая цена; должна быть больше текущей."),
    )

    class Meta:
        verbose_name = _("цена")
        verbose_name_plural = _("цены")
        constraints = [
            models.UniqueConstraint(fields=["variant", "price_list"], name="pricing_variantprice_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="pricing_variantprice_price_gte_0"),
            models.CheckConstraint(
                condition=Q(old_price__isnull=True) | Q(old_price__gt=F("price")),
                name="pricing_variantprice_old_price_gt_price",
            ),
        ]
        indexes = [models.Index(fields=["price_list", "variant"], name="pricing_price_list_variant")]

    def __str__(self):
        return f"{self.price} {self.price_list.currency}"

    def clean(self):
        """Проверить, что старая цена больше текущей."""
        if self.old_price is not None and self.price is not None and self.old_price <= self.price:
            raise ValidationError({"old_price": _("Старая цена должна быть больше текущей.")})
