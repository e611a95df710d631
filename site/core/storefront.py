"""Адреса страниц на витрине: STOREFRONT_URL + путь страницы Wagtail.

Megashop — headless: страницы показывает витрина, поэтому адрес для людей и поисковиков
(meta.html_url в API v2, canonical, ссылки в лентах RSS/Atom) — на витрине, а не на бэкенде.
Без STOREFRONT_URL — адрес на бэкенде (он перенаправит в API): у сайта по умолчанию — хост
запроса (без запроса — WAGTAILAPI_BASE_URL, в `make run` — из HOST и PORT), у сайтов поддоменов — их хост.
Одно определение для API, SEO и лент.
"""

from django.conf import settings
from wagtail.models import Site


def page_storefront_url(*, page, request=None):
    """Вернуть полный адрес страницы на витрине или None, если у страницы нет адреса.

    Путь берётся у Wagtail (в режиме подпапок — с префиксом региона: /msk/blog/...), хост —
    из STOREFRONT_URL. В режиме поддоменов путь — от корня сайта региона; витрина на
    поддоменах задаёт STOREFRONT_URL своего хоста (один на процесс) — см. docs/frontend.
    """
    base = (settings.STOREFRONT_URL or "").rstrip("/")
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    site_id, _root_url, path = parts
    if base:
        return base + path
    # Сайт по умолчанию отвечает на любой хост, а записан в нём обычно localhost:80 — не тот
    # адрес, где слушает сервер. Поэтому его страницы — на хосте запроса (он пришёл туда, где
    # сервер слушает), а без запроса (задачи, письма) — на адресе бэкенда WAGTAILAPI_BASE_URL.
    if site_id == _default_site_id(request):
        if request is not None:
            return request.build_absolute_uri(path)
        return settings.WAGTAILAPI_BASE_URL.rstrip("/") + path
    return page.get_full_url(request)


def _default_site_id(request):
    """Вернуть id сайта Wagtail по умолчанию (один запрос на HTTP-запрос, дальше — из запроса)."""
    cached = getattr(request, "_megashop_default_site_id", None)
    if cached is None:
        cached = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first() or 0
        if request is not None:
            request._megashop_default_site_id = cached
    return cached
