"""Привязка аккаунта соцсети (VK ID, Яндекс ID, Telegram) к пользователю Megashop."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SocialAccount(models.Model):
    """Аккаунт провайдера, которым пользователь входит в магазин.

    Один аккаунт провайдера принадлежит одному пользователю (provider + uid уникальны),
    и у пользователя не больше одного аккаунта каждого провайдера. Контакты от провайдера
    хранятся здесь как есть вместе с признаком «провайдер их подтвердил»: в профиль они
    попадают только по правилам привязки (accounts.oauth.services).
    """

    class Provider(models.TextChoices):
        VK = "vk", "VK ID"
        YANDEX = "yandex", _("Яндекс ID")
        TELEGRAM = "telegram", "Telegram"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="social_accounts",
        verbose_name=_("пользователь"),
    )
    provider = models.CharField(_("провайдер"), max_length=20, choices=Provider.choices)
    # Идентификатор пользователя у провайдера (VK user_id, Яндекс id, Telegram id) — строкой.
    uid = models.CharField(_("идентификатор у провайдера"), max_length=64)
    email = models.EmailField(_("e-mail у провайдера"), blank=True, default="")
    email_verified = models.BooleanField(_("e-mail подтверждён провайдером"), default=False)
    phone = models.CharField(_("телефон у провайдера"), max_length=20, blank=True, default="")
    phone_verified = models.BooleanField(_("телефон подтверждён провайдером"), default=False)
    display_name = models.CharField(_("имя у провайдера"), max_length=300, blank=True, default="")
    avatar_url = models.URLField(_("аватар"), max_length=1000, blank=True, default="")
    created_at = models.DateTimeField(_("привязан"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("последний вход"), null=True, blank=True)

    class Meta:
        verbose_name = _("аккаунт соцсети")
        verbose_name_plural = _("аккаунты соцсетей")
        ordering = ("provider", "id")
        constraints = [
            models.UniqueConstraint(fields=("provider", "uid"), name="accounts_oauth_provider_uid_unique"),
            models.UniqueConstraint(fields=("user", "provider"), name="accounts_oauth_user_provider_unique"),
        ]

    def __str__(self):
        return f"{self.get_provider_display()}: {self.display_name or self.uid}"
