"""Настройка схемы OpenAPI (drf-spectacular)."""

SHOP_API_PREFIXES = ("/api/v1/", "/api/health/")


def only_shop_api_endpoints(endpoints):
    """Оставить в схеме только API магазина.

    Wagtail API v2 (/api/v2/) описывается самим Wagtail и не является DRF-API в понимании
    drf-spectacular: его представления дали бы предупреждения при --fail-on-warn.
    """
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(SHOP_API_PREFIXES)]
