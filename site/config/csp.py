"""Content-Security-Policy для админок (/admin/ Wagtail и /django-admin/).

Заголовок один и тот же для всех страниц админок и собирается из настроек при старте, поэтому
хватает маленького промежуточного слоя; django-csp понадобился бы ради nonce, а их Wagtail
в свои встроенные скрипты (InlinePanel, виджеты дат) не ставит. По той же причине
script-src и style-src допускают 'unsafe-inline': без этого не работают панели и виджеты
редактора. Политика всё равно закрывает главное — скрипты, стили, фреймы и запросы
только со своего сервера (и перечисленных источников), без плагинов (object-src 'none'),
без подмены <base>, формы отправляются только к себе, админку нельзя встроить в чужой сайт.
"""

from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    """Поставить Content-Security-Policy (или -Report-Only) на ответы путей админок."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.ADMIN_CONTENT_SECURITY_POLICY
        if not policy or not request.path.startswith(tuple(settings.ADMIN_CSP_PATH_PREFIXES)):
            return response
        header = "Content-Security-Policy-Report-Only" if settings.ADMIN_CSP_REPORT_ONLY else "Content-Security-Policy"
        if header not in response:
            response[header] = policy
        return response
