"""Вход через соцсети: привязки аккаунтов провайдеров к пользователям и настройки провайдеров.

* SocialAccount — аккаунт VK ID, Яндекс ID, Сбер ID или Telegram, которым входит пользователь;
* OAuthProviderSetting — ключи и включение провайдера (для всех регионов или одного), секрет
  зашифрован (core.crypto); без записи провайдер настраивается переменными окружения;
* OAuthRedirectUri — разрешённые адреса возврата витрины (для всех регионов или одного).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import secrets_decrypt, secrets_encrypt
from core.redirect_urls import UnsafeRedirectUrl, redirect_url_validate


class Provider(models.TextChoices):
    """Способы входа через соцсети; код — часть путей API (``/auth/oauth/<код>/start/``)."""

    VK = "vk", "VK ID"
    YANDEX = "yandex", _("Яндекс ID")
    SBER = "sber", _("Сбер ID")
    TELEGRAM = "telegram", "Telegram"


class SocialAccount(models.Model):
    """Аккаунт провайдера, которым пользователь входит в магазин.

    Один аккаунт провайдера принадлежит одному пользователю (provider + uid уникальны),
    и у пользователя не больше одного аккаунта каждого провайдера. Контакты от провайдера
    хранятся здесь как есть вместе с признаком «провайдер их подтвердил»: в профиль они
    попадают только по правилам привязки (accounts.oauth.services).
    """

    Provider = Provider

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


class OAuthProviderSetting(models.Model):
    """Настройки провайдера входа, заданные в админке: для всех регионов (регион пуст) или одного.

    Порядок поиска для запроса из региона R: запись провайдера для R, затем запись «для всех
    регионов», затем переменные окружения OAUTH_<ПРОВАЙДЕР>_*. Найденная запись решает целиком
    (включён ли, client id, scope), кроме пустого секрета: тогда берётся OAUTH_<ПРОВАЙДЕР>_CLIENT_SECRET
    (секрет можно держать только в окружении). Адреса провайдера (OAUTH_VK_BASE_URL и др.)
    и сертификат Сбер ID задаются только окружением: подменивший их сотрудник мог бы выдать себя
    за провайдера и войти в любой аккаунт.

    Для Telegram client id — имя бота (без @), секрет — токен бота.
    """

    provider = models.CharField(_("провайдер"), max_length=20, choices=Provider.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("регион"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Пусто — для всех регионов, у которых нет своей записи."),
    )
    enabled = models.BooleanField(_("включён"), default=False)
    client_id = models.CharField(
        _("client id"), max_length=200, blank=True, help_text=_("Для Telegram — имя бота без @.")
    )
    # Зашифрованный секрет приложения (Fernet, core.crypto): {"client_secret": "..."}.
    secret_encrypted = models.TextField(_("секрет (зашифрован)"), blank=True, default="", editable=False)
    scope = models.CharField(
        _("scope"), max_length=300, blank=True, help_text=_("Пусто — scope из настроек сервера по умолчанию.")
    )
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("настройка провайдера входа")
        verbose_name_plural = _("настройки провайдеров входа")
        ordering = ("provider", "region__code", "id")
        constraints = [
            models.UniqueConstraint(fields=("provider", "region"), name="accounts_oauth_setting_provider_region"),
            models.UniqueConstraint(
                fields=("provider",),
                condition=models.Q(region__isnull=True),
                name="accounts_oauth_setting_provider_all_regions",
            ),
        ]

    def __str__(self):
        region = self.region.name if self.region_id else _("все регионы")
        return f"{self.get_provider_display()} — {region}"

    @property
    def client_secret(self):
        """Расшифрованный секрет; пустая строка — секрета в записи нет."""
        return secrets_decrypt(self.secret_encrypted).get("client_secret", "")

    def client_secret_set(self, value):
        """Зашифровать и запомнить секрет; пустое значение стирает его. Raises: SecretKeyMissing."""
        self.secret_encrypted = secrets_encrypt({"client_secret": value} if value else {})

    def clean(self):
        if self.enabled and not self.client_id.strip():
            raise ValidationError({"client_id": _("Включённому провайдеру нужен client id.")})
        if self.provider == Provider.TELEGRAM and self.client_id.startswith("@"):
            raise ValidationError({"client_id": _("Имя бота — без @.")})


class OAuthRedirectUri(models.Model):
    """Адрес страницы витрины, на который провайдер может вернуть покупателя.

    Адрес сверяется целиком (схема, хост, порт, путь), как его сверяют VK ID и Яндекс.
    Запись без региона действует везде, с регионом — только в нём; к ним добавляется
    OAUTH_REDIRECT_URIS из окружения (для всех регионов).
    """

    uri = models.CharField(_("адрес возврата"), max_length=500, help_text=_("Например, https://shop.ru/auth/callback"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("регион"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Пусто — для всех регионов."),
    )

    class Meta:
        verbose_name = _("адрес возврата после входа")
        verbose_name_plural = _("адреса возврата после входа")
        ordering = ("region__code", "uri")
        constraints = [models.UniqueConstraint(fields=("uri", "region"), name="accounts_oauth_redirect_uri_region")]

    def __str__(self):
        return self.uri

    def clean(self):
        try:
            self.uri = redirect_url_validate(self.uri.strip(), allowed_hosts=())
        except UnsafeRedirectUrl as error:
            raise ValidationError({"uri": _("Нужен полный адрес https://… без логина и пароля.")}) from error
