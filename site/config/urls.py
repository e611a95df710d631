"""Корневые URL: админки, API магазина (v1), контентный API Wagtail (v2), страницы Wagtail."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.admin_login import LoginThrottleAuthenticationForm

admin.site.site_header = _("Megashop — администрирование")
admin.site.site_title = _("Megashop")
# Вход в Django admin — под теми же лимитами неудач, что вход через API (accounts.admin_login).
admin.site.login_form = LoginThrottleAuthenticationForm

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # API сотрудников (/api/admin/v1/ и его схема) — до /api/: там последним стоит JSON 404.
    path("api/admin/", include("staffapi.urls")),
    # React-админка (manage_ui): index.html на любой путь SPA и файлы сборки.
    path("manage/", include("manage_ui.urls")),
    path("api/", include("api.urls")),
]

# Входящие вебхуки внешних систем (integrations.core).
urlpatterns.append(path("integrations/", include("integrations.core.urls")))
# Обмен с 1С (integrations.onec): свой путь и путь Битрикса.
urlpatterns.append(path("", include("integrations.onec.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static  # раздача медиа только в разработке

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Страницы Wagtail — последними: они ловят все оставшиеся пути.
urlpatterns.append(path("", include(wagtail_urls)))

# Для путей /api/ ошибки отдаются JSON в едином формате, для остальных — обычные страницы.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
