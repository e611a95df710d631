"""Склады регионов и остатки вариантов на складах.

Доступно = на складе − в резерве, и это никогда не меньше нуля: ограничения базы
``quantity >= 0``, ``reserved >= 0`` и ``reserved <= quantity``. Резервирует оформление
заказа через services.stock_reserve (с блокировкой строки).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey


class Warehouse(models.Model):
    """Склад (или магазин с остатками), принадлежащий региону."""

    code = models.SlugField(_("код"), max_length=64, unique=True)
    name = models.CharField(_("название"), max_length=150)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("регион"), on_delete=models.PROTECT, related_name="warehouses"
    )
    address = models.TextField(_("адрес"), blank=True)
    is_active = models.BooleanField(_("активен"), default=True, help_text=_("Остатки неактивного склада не продаются."))
    sort_order = models.IntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("склад")
        verbose_name_plural = _("склады")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Stock(models.Model):
    """Остаток варианта на складе: сколько есть и сколько из этого зарезервировано."""

    # Отдельных индексов на variant и warehouse нет: их заменяют уникальный (variant, warehouse)
    # и (warehouse, variant). Лишний индекс — лишняя запись на каждый остаток при импорте каталога.
    variant = ParentalKey(
        "catalog.Variant", verbose_name=_("вариант"), on_delete=models.CASCADE, related_name="stocks", db_index=False
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("склад"), on_delete=models.CASCADE, related_name="stocks", db_index=False
    )
    quantity = models.IntegerField(_("на складе"), default=0)
    reserved = models.IntegerField(_("в резерве"), default=0)

    class Meta:
        verbose_name = _("остаток")
        verbose_name_plural = _("остатки")
        constraints = [
            models.UniqueConstraint(fields=["variant", "warehouse"], name="inventory_stock_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="inventory_stock_quantity_gte_0"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="inventory_stock_reserved_gte_0"),
            models.CheckConstraint(condition=Q(reserved__lte=F("quantity")), name="inventory_stock_available_gte_0"),
        ]
        indexes = [models.Index(fields=["warehouse", "variant"], name="inventory_stock_warehouse")]

    def __str__(self):
        return f"{self.warehouse}: {self.available}"

    @property
    def available(self):
        """Доступно к продаже: на складе минус резерв."""
        return self.quantity - self.reserved

    def clean(self):
        """Проверить, что остаток и резерв неотрицательны и резерв не больше остатка."""
        errors = {}
        if self.quantity is not None and self.quantity < 0:
            errors["quantity"] = _("Остаток не может быть отрицательным.")
        if self.reserved is not None and self.reserved < 0:
            errors["reserved"] = _("Резерв не может быть отрицательным.")
        if not errors and self.quantity is not None and self.reserved is not None and self.reserved > self.quantity:
            errors["reserved"] = _("Резерв не может быть больше остатка.")
        if errors:
            raise ValidationError(errors)
