"""Адреса страниц на витрине: STOREFRONT_URL + путь страницы Wagtail.

Megashop — headless: страницы показывает витрина, поэтому адрес для людей и поисковиков
(meta.html_url в API v2, canonical, ссылки в лентах RSS/Atom) — на витрине, а не на бэкенде.
Без STOREFRONT_URL — адрес сайта Wagtail (как раньше: бэкенд перенаправит в API).
Одно определение для API, SEO и лент.
"""

from django.conf import settings


def page_storefront_url(*, page, request=None):
    """Вернуть полный адрес страницы на витрине или None, если у страницы нет адреса.

    Путь берётся у Wagtail (в режиме подпапок — с префиксом региона: /msk/blog/...), хост —
    из STOREFRONT_URL. В режиме поддоменов путь — от корня сайта региона; витрина на
    поддоменах задаёт STOREFRONT_URL своего хоста (один на процесс) — см. docs/frontend.
    """
    base = (settings.STOREFRONT_URL or "").rstrip("/")
    if not base:
        return page.get_full_url(request)
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    _site_id, _root_url, path = parts
    return base + path
