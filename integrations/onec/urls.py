"""URL обмена с 1С: свой путь и путь Битрикса (узел 1С, настроенный на Битрикс, работает без правок)."""

from django.urls import path

from integrations.onec.views import exchange

app_name = "integrations_onec"

urlpatterns = [
    path("integrations/1c/exchange/", exchange, name="exchange"),
    path("bitrix/admin/1c_exchange.php", exchange, name="exchange-bitrix"),
]
