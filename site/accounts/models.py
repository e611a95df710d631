"""Модель пользователя.

Покупатели и сотрудники — одна модель: сотрудники работают в админке, покупатели — через API.
Пользователь может не иметь e-mail (регистрация по телефону) или телефона (регистрация
по e-mail), но каждый из них, если указан, уникален: e-mail — без учёта регистра,
телефон — в формате E.164.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


def normalize_email(value):
    """Привести e-mail к виду для хранения и поиска: без пробелов, в нижнем регистре."""
    return (value or "").strip().lower()


class MegashopUserManager(UserManager):
    """Менеджер пользователей, нормализующий e-mail при создании."""

    @classmethod
    def normalize_email(cls, email):
        return normalize_email(email)


class User(AbstractUser):
    """Пользователь Megashop (покупатель или сотрудник)."""

    email = models.EmailField(_("e-mail"), blank=True, default="")
    phone = PhoneNumberField(_("телефон"), blank=True, null=True, unique=True)
    phone_verified = models.BooleanField(_("телефон подтверждён"), default=False)
    email_verified = models.BooleanField(_("e-mail подтверждён"), default=False)
    # Согласия по 152-ФЗ: момент последнего данного согласия, NULL — согласия нет.
    # Полная история (дано/отозвано, когда, с какого IP) — в ConsentEvent.
    personal_data_consent_at = models.DateTimeField(_("согласие на обработку ПДн"), null=True, blank=True)
    marketing_consent_at = models.DateTimeField(_("согласие на рассылки"), null=True, blank=True)
    # Удалённый по просьбе пользователь: персональные данные стёрты, строка оставлена ради заказов.
    deleted_at = models.DateTimeField(_("удалён"), null=True, blank=True)

    objects = MegashopUserManager()

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        constraints = [
            # Уникальность e-mail без учёта регистра обеспечивает сама база,
            # а не только код: Ivan@Mail.ru и ivan@mail.ru — один адрес.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("Пользователь с таким e-mail уже существует."),
            ),
        ]

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        # Пустой телефон храним как NULL: уникальность не мешает многим пользователям без телефона.
        if not self.phone:
            self.phone = None
        super().save(*args, **kwargs)


class Address(models.Model):
    """Адрес доставки пользователя. У пользователя не больше одного адреса по умолчанию."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("пользователь"))
    label = models.CharField(_("название"), max_length=50, blank=True, default="")
    recipient_name = models.CharField(_("получатель"), max_length=150, blank=True, default="")
    recipient_phone = PhoneNumberField(_("телефон получателя"), blank=True, default="")
    postal_code = models.CharField(_("индекс"), max_length=12, blank=True, default="")
    region = models.CharField(_("регион"), max_length=150, blank=True, default="")
    city = models.CharField(_("город"), max_length=150)
    street = models.CharField(_("улица"), max_length=255)
    house = models.CharField(_("дом"), max_length=30)
    apartment = models.CharField(_("квартира/офис"), max_length=30, blank=True, default="")
    comment = models.CharField(_("комментарий для курьера"), max_length=500, blank=True, default="")
    is_default = models.BooleanField(_("по умолчанию"), default=False)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("адрес доставки")
        verbose_name_plural = _("адреса доставки")
        ordering = ("-is_default", "-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("user",),
                condition=models.Q(is_default=True),
                name="accounts_address_one_default_per_user",
            ),
        ]

    def __str__(self):
        return ", ".join(part for part in (self.city, self.street, self.house, self.apartment) if part)


class ConsentEvent(models.Model):
    """Запись журнала согласий: дано или отозвано, когда и откуда (только добавление)."""

    class Kind(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("обработка персональных данных")
        MARKETING = "marketing", _("рекламные рассылки")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consent_events", verbose_name=_("пользователь")
    )
    kind = models.CharField(_("согласие"), max_length=20, choices=Kind.choices)
    granted = models.BooleanField(_("дано"))
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("событие согласия")
        verbose_name_plural = _("журнал согласий")
        ordering = ("-created_at", "-id")

    def __str__(self):
        return f"{self.get_kind_display()}: {'дано' if self.granted else 'отозвано'}"
