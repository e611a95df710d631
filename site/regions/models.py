"""Регион магазина и региональные страницы Wagtail.

Регион — то, по чему российский магазин разделяет цены, склады, доставку, телефон и страницы.
Точки расширения для коммерции: прайс-листы и склады ссылаются на регион обычным
``ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="price_lists" / "warehouses")``,
а текущий регион запроса берут из ``request.region`` (его ставит RegionMiddleware).
"""

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField

from regions import home_content
from regions.conf import RESERVED_SUBFOLDERS

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
slug_validator = RegexValidator(
    SLUG_PATTERN, _("Только строчные латинские буквы, цифры и дефисы между ними (например, msk, spb).")
)
# ISO 3166-1 (RU) или ISO 3166-2 (RU-MOW): так их составляет GeoIpLocator из базы MaxMind.
GEOIP_CODE_PATTERN = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")


def split_list(value):
    """Разбить строку «a, b; c» на непустые элементы без пробелов по краям."""
    return [item.strip() for item in re.split(r"[,;\n]", value or "") if item.strip()]


class Region(models.Model):
    """Регион магазина: Москва, Санкт-Петербург, Казань.

    Инварианты: код уникален и неизменен для витрины; регион по умолчанию ровно один
    (не больше одного — ограничение базы, не меньше одного — clean() и services.region_make_default);
    регион по умолчанию всегда активен.
    """

    code = models.CharField(
        _("код"),
        max_length=32,
        unique=True,
        validators=[slug_validator],
        help_text=_("Постоянный код для витрины и API: msk, spb, kzn."),
    )
    name = models.CharField(_("название"), max_length=100, help_text=_("По-русски: «Москва»."))
    name_en = models.CharField(_("название по-английски"), max_length=100, blank=True)
    is_default = models.BooleanField(
        _("регион по умолчанию"),
        default=False,
        help_text=_("Достаётся посетителю, чей регион не определён, и даёт страницы, которых нет в его регионе."),
    )
    is_active = models.BooleanField(_("активен"), default=True)
    currency = models.CharField(
        _("валюта"),
        max_length=3,
        default="RUB",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Трёхбуквенный код ISO 4217, например RUB."))],
    )
    time_zone = models.CharField(_("часовой пояс"), max_length=64, default="Europe/Moscow")
    phone = PhoneNumberField(_("телефон"), blank=True)
    address = models.TextField(_("адрес"), blank=True)
    subdomain = models.CharField(
        _("поддомен"),
        max_length=63,
        blank=True,
        validators=[slug_validator],
        help_text=_("Для режима поддоменов: msk → msk.example.ru."),
    )
    subfolder = models.CharField(
        _("подпапка"),
        max_length=63,
        blank=True,
        validators=[slug_validator],
        help_text=_("Для режима подпапок: msk → example.ru/msk/."),
    )
    geoip_codes = models.CharField(
        _("коды GeoIP"),
        max_length=500,
        blank=True,
        help_text=_(
            "Коды ISO 3166-2 субъектов (RU-MOW, RU-MOS) или страны (RU) через запятую: "
            "посетитель из них получит этот регион."
        ),
    )
    geoip_cities = models.CharField(
        _("города GeoIP"),
        max_length=500,
        blank=True,
        help_text=_("Необязательно: названия городов через запятую (Казань, Kazan) — точнее кодов."),
    )
    sort_order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="regions_region_single_default"
            ),
            models.UniqueConstraint(fields=["subdomain"], condition=~Q(subdomain=""), name="regions_region_subdomain"),
            models.UniqueConstraint(fields=["subfolder"], condition=~Q(subfolder=""), name="regions_region_subfolder"),
        ]

    def __str__(self):
        return self.display_name()

    def display_name(self, language=None):
        """Вернуть название на языке запроса: английское, если оно задано и язык английский."""
        language = (language or get_language() or "ru").split("-")[0]
        if language == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def geoip_code_list(self):
        """Коды GeoIP списком, в верхнем регистре."""
        return [code.upper() for code in split_list(self.geoip_codes)]

    @property
    def geoip_city_list(self):
        """Названия городов GeoIP списком, в нижнем регистре (сравнение без учёта регистра)."""
        return [city.casefold() for city in split_list(self.geoip_cities)]

    @property
    def tree_slug(self):
        """Slug региональной домашней страницы: подпапка, а без неё — код."""
        return self.subfolder or self.code

    def clean(self):
        """Проверить то, что не выразить ограничениями базы: пояс, коды GeoIP, единственный регион по умолчанию."""
        errors = {}
        if self.time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = _("Неизвестный часовой пояс; пример: Europe/Moscow.")
        bad_codes = [code for code in self.geoip_code_list if not GEOIP_CODE_PATTERN.match(code)]
        if bad_codes:
            errors["geoip_codes"] = _("Неверные коды: %(codes)s. Пример: RU-MOW, RU-MOS, RU.") % {
                "codes": ", ".join(bad_codes)
            }
        if self.subfolder in RESERVED_SUBFOLDERS:
            errors["subfolder"] = _("Подпапка «%(slug)s» занята адресами сайта.") % {"slug": self.subfolder}
        others = Region.objects.exclude(pk=self.pk)
        if self.is_default and not self.is_active:
            errors["is_active"] = _("Регион по умолчанию нельзя отключить.")
        if self.is_default and others.filter(is_default=True).exists():
            errors["is_default"] = _("Регион по умолчанию уже выбран. Снимите отметку у него или сделайте это здесь.")
        if not self.is_default and not others.filter(is_default=True).exists():
            errors["is_default"] = _("Нужен ровно один регион по умолчанию: отметьте этот или другой регион.")
        if errors:
            raise ValidationError(errors)
        self.geoip_codes = ", ".join(self.geoip_code_list)


class RegionsRootPage(Page):
    """Общий корень региональных домашних страниц.

    В режиме подпапок он корень сайта Wagtail, а домашние страницы регионов — его дети
    со slug подпапки (example.ru/msk/). В режиме поддоменов корнем сайта каждого региона
    становится его домашняя страница, а этот корень остаётся на месте: смена режима
    перестраивает только сайты, страницы не двигаются.
    """

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["regions.RegionHomePage"]

    class Meta:
        verbose_name = _("корень регионов")
        verbose_name_plural = _("корни регионов")

    def route(self, request, path_components):
        """Направить путь без префикса региона в дерево региона запроса, с запасным регионом по умолчанию."""
        # selectors импортирует модели регионов: импорт при маршрутизации разрывает цикл.
        from regions import selectors

        if path_components and self.get_children().filter(slug=path_components[0]).exists():
            return super().route(request, path_components)
        region = getattr(request, "region", None)
        home = region and selectors.region_home_page(region=region, locale=self.locale)
        if home is None:
            return super().route(request, path_components)
        return home.route(request, path_components)


class RegionHomePageForm(WagtailAdminPageForm):
    """Форма главной региона: регион выбирается при создании и потом не меняется.

    Перенаправить главную на другой регион из её формы значило бы подменить витрину региона
    целиком (страницы под ней, сайт поддомена); поле на существующей странице отключено —
    присланное значение Django отбрасывает.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "region" in self.fields:
            self.fields["region"].disabled = True
            self.fields["region"].help_text = _("Регион главной страницы не меняется: у каждого региона своя главная.")


class RegionHomePage(Page):
    """Домашняя страница региона: всё, что под ней, видно только в этом регионе.

    Страницы, которых у региона нет, берутся из дерева региона по умолчанию (см. route()).
    Содержимое главной (первый экран, баннеры, контакты, тело) — поля этой страницы:
    у каждого региона свои акции и контакты.
    """

    region = models.ForeignKey(Region, verbose_name=_("регион"), on_delete=models.PROTECT, related_name="home_pages")
    hero_title = models.CharField(_("заголовок первого экрана"), max_length=200, blank=True)
    hero_text = models.TextField(_("текст первого экрана"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("картинка первого экрана"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_url = models.CharField(
        _("ссылка первого экрана"), max_length=300, blank=True, help_text=_("Путь на витрине: /catalog/.")
    )
    hero_link_label = models.CharField(_("текст кнопки первого экрана"), max_length=60, blank=True)
    banners = StreamField(home_content.HomeBannersBlock(), verbose_name=_("баннеры"), blank=True)
    contact_phone = PhoneNumberField(_("телефон"), blank=True, help_text=_("Пусто — телефон региона."))
    contact_email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    contact_address = models.TextField(_("адрес"), blank=True, help_text=_("Пусто — адрес региона."))
    contact_hours = models.CharField(_("часы работы"), max_length=200, blank=True)
    body = StreamField(home_content.HomeBodyBlock(), verbose_name=_("содержимое"), blank=True)

    parent_page_types = ["regions.RegionsRootPage"]
    base_form_class = RegionHomePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("region"),
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_link_url"),
                FieldPanel("hero_link_label"),
            ],
            heading=_("Первый экран"),
        ),
        FieldPanel("banners"),
        MultiFieldPanel(
            [
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("contact_address"),
                FieldPanel("contact_hours"),
            ],
            heading=_("Контакты"),
        ),
        FieldPanel("body"),
    ]
    # Регион — общий для всех переводов страницы: переводчик его не меняет.
    override_translatable_fields = [SynchronizedField("region")]
    api_fields = [
        APIField("region_code"),
        APIField("hero", serializer=home_content.HeroField(source="*")),
        APIField("banners"),
        APIField("contacts", serializer=home_content.ContactsField(source="*")),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("домашняя страница региона")
        verbose_name_plural = _("домашние страницы регионов")

    @property
    def region_code(self):
        """Код региона страницы — для API."""
        return self.region.code

    def route(self, request, path_components):
        """Найти страницу в дереве региона, а если её нет — в дереве региона по умолчанию."""
        # selectors импортирует модели регионов: импорт при маршрутизации разрывает цикл.
        from regions import selectors

        try:
            return super().route(request, path_components)
        except Http404:
            fallback = selectors.region_default_home_page(locale=self.locale)
            if fallback is None or fallback.pk == self.pk:
                raise
            return Page.route(fallback, request, path_components)
