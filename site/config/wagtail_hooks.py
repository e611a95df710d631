"""Общие хуки Wagtail уровня проекта."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.template import TemplateDoesNotExist
from django.template.response import SimpleTemplateResponse
from wagtail import hooks


def headless_page_redirect(page, request):
    """Перенаправить с HTML-адреса страницы туда, где её показывают: на витрину или в API.

    Megashop — headless: страницы рисует витрина по данным /api/v2/, шаблонов у бэкенда нет.
    """
    if settings.STOREFRONT_URL:
        return HttpResponseRedirect(settings.STOREFRONT_URL.rstrip("/") + request.get_full_path())
    return HttpResponseRedirect(f"/api/v2/pages/{page.pk}/")


@hooks.register("on_serve_page")
def serve_pages_headlessly(serve_page):
    """Обернуть отдачу страницы: нет шаблона — перенаправить, а не отвечать 500.

    Страницы с собственными ответами (ленты RSS/Atom блога, JSON) отдаются как есть.
    """

    def wrapper(page, request, args, kwargs):
        response = serve_page(page, request, args, kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            try:
                response.render()
            except TemplateDoesNotExist:
                return headless_page_redirect(page, request)
        return response

    return wrapper
