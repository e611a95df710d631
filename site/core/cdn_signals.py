"""Сброс ответов контента (Wagtail API v2, ключ ``content``) в CDN при публикации страниц."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from core.cdn import cdn_purge_enabled, cdn_purge_keys


@receiver(page_published)
@receiver(page_unpublished)
def content_cdn_purge(sender, instance, **kwargs):
    """Сбросить ответы страниц: список и карточка страницы зависят от любой публикации."""
    if cdn_purge_enabled():
        cdn_purge_keys(["content"])
