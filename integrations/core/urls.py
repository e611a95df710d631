"""URL ядра интеграций: /integrations/hooks/<код>/<токен>/ (и без токена — для систем с подписью)."""

from django.urls import path

from integrations.core.views import webhook_hook

app_name = "integrations_core"

urlpatterns = [
    path("hooks/<slug:code>/<str:token>/", webhook_hook, name="hook"),
    path("hooks/<slug:code>/", webhook_hook, name="hook-signed"),
]
