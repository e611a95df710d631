"""Содержимое главной страницы региона: блоки баннеров и тела, JSON для API.

Главная у каждого региона своя (свои акции, телефон, адрес), поэтому содержимое — поля самой
RegionHomePage, а не общих страниц. Контакты без значения берутся из региона: новый регион
сразу показывает свой телефон и адрес. Форма JSON описана в docs/frontend (главная региона).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail import blocks
from wagtail.api.rich_text import APIRichText
from wagtail.images.blocks import ImageChooserBlock

from core.images import image_representation

# Широкий баннер главной и карточка баннера в ряду.
HERO_RENDITIONS = {"wide": "fill-1600x600", "mobile": "fill-800x600"}
BANNER_RENDITIONS = {"card": "fill-640x360", "wide": "fill-1280x480"}
BODY_IMAGE_RENDITIONS = {"medium": "width-960", "large": "width-1600"}

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class BannerBlock(blocks.StructBlock):
    """Баннер: картинка, заголовок, текст и ссылка на страницу витрины."""

    title = blocks.CharBlock(label=_("Заголовок"), max_length=120)
    text = blocks.TextBlock(label=_("Текст"), required=False, max_length=300)
    image = ImageChooserBlock(label=_("Картинка"), required=False)
    link_url = blocks.CharBlock(
        label=_("Ссылка"),
        required=False,
        max_length=300,
        help_text=_("Путь на витрине (/catalog/smartfony/) или полный адрес."),
    )
    link_label = blocks.CharBlock(label=_("Текст кнопки"), required=False, max_length=60)

    def get_api_representation(self, value, context=None):
        return {
            "title": value["title"],
            "text": value["text"],
            "image": image_representation(value["image"], BANNER_RENDITIONS),
            "link": {"url": value["link_url"], "label": value["link_label"]} if value["link_url"] else None,
        }

    class Meta:
        icon = "image"
        label = _("Баннер")


class RichTextApiBlock(blocks.RichTextBlock):
    """Текст с форматированием: в API — готовый HTML со ссылками."""

    def get_api_representation(self, value, context=None):
        return APIRichText.serialize(value.source, format=APIRichText.FORMAT_HTML, features=self.features)


class HomeImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Картинка"))
    caption = blocks.CharBlock(label=_("Подпись"), required=False, max_length=200)

    def get_api_representation(self, value, context=None):
        return {"image": image_representation(value["image"], BODY_IMAGE_RENDITIONS), "caption": value["caption"]}

    class Meta:
        icon = "image"
        label = _("Картинка")


class HomeBodyBlock(blocks.StreamBlock):
    """Тело главной: заголовки, текст, картинки и баннеры в любом порядке."""

    heading = blocks.CharBlock(label=_("Заголовок"), max_length=200, icon="title")
    paragraph = RichTextApiBlock(label=_("Текст"), features=TEXT_FEATURES)
    image = HomeImageBlock()
    banner = BannerBlock()


class HomeBannersBlock(blocks.StreamBlock):
    banner = BannerBlock()


class HeroField(serializers.Field):
    """Первый экран: {"title", "text", "image", "link": {"url", "label"} | null}."""

    def to_representation(self, page):
        link = {"url": page.hero_link_url, "label": page.hero_link_label} if page.hero_link_url else None
        return {
            "title": page.hero_title,
            "text": page.hero_text,
            "image": image_representation(page.hero_image, HERO_RENDITIONS),
            "link": link,
        }


class ContactsField(serializers.Field):
    """Контакты региона: {"phone", "email", "address", "hours"}; пустые поля страницы — из региона."""

    def to_representation(self, page):
        region = page.region
        phone = page.contact_phone or region.phone
        return {
            "phone": str(phone) if phone else "",
            "email": page.contact_email,
            "address": page.contact_address or region.address,
            "hours": page.contact_hours,
        }
