"""Корзины покупателей и их строки.

Корзина принадлежит либо пользователю (не больше одной на пользователя — ограничение базы),
либо анонимному посетителю, который знает её непрозрачный токен (заголовок X-Cart-Token).
Корзина хранит только вариант и количество: цены, наличие и итоги считаются при каждом
чтении (selectors.cart_view), поэтому устаревших цен в ней не бывает.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def cart_token_generate():
    """Сгенерировать токен анонимной корзины (256 бит случайности, не угадывается)."""
    return secrets.token_urlsafe(32)


class Cart(models.Model):
    """Корзина: анонимная (по токену) или пользователя; всегда в каком-то регионе."""

    token = models.CharField(_("токен"), max_length=64, unique=True, default=cart_token_generate, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carts",
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("регион"), on_delete=models.PROTECT, related_name="+")
    # Введённый промокод (commerce.promotions); применим ли он, решает каждое чтение корзины.
    promo_code = models.CharField(_("промокод"), max_length=40, blank=True, default="")
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("корзина")
        verbose_name_plural = _("корзины")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(user__isnull=False), name="cart_cart_one_per_user"),
        ]

    def __str__(self):
        return f"{_('Корзина')} #{self.pk}"


class CartLine(models.Model):
    """Строка корзины: вариант и количество (положительное — ограничение базы)."""

    cart = models.ForeignKey(Cart, verbose_name=_("корзина"), on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.Variant", verbose_name=_("вариант"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("количество"))
    created_at = models.DateTimeField(_("добавлена"), auto_now_add=True)

    class Meta:
        verbose_name = _("строка корзины")
        verbose_name_plural = _("строки корзины")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_cartline_unique_variant"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_cartline_quantity_gt_0"),
        ]

    def __str__(self):
        return f"{self.variant_id} × {self.quantity}"
