"""Демонстрационные данные уровня сайта."""

from django.conf import settings
from wagtail.models import Site


def seed_site_name(*, stdout):
    """Назвать сайт Wagtail по умолчанию именем магазина."""
    site = Site.objects.filter(is_default_site=True).first()
    if site and site.site_name != settings.WAGTAIL_SITE_NAME:
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save(update_fields=["site_name"])
        stdout.write(f"Сайт Wagtail назван «{site.site_name}».")
