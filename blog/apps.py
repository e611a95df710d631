"""Приложение blog: страницы Wagtail — индекс блога, статьи и новости, серии."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    label = "blog"
    verbose_name = _("Блог")
