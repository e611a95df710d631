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
