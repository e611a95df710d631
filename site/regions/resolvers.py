"""Резолверы региона: каждый по-своему узнаёт регион запроса.

RegionMiddleware спрашивает резолверы из REGIONS_RESOLVERS по порядку; первый, вернувший
регион, побеждает. Резолвер не ходит в базу: регионы он берёт из снимка RegionRegistry.
Свой резолвер — подкласс RegionResolver, подключается путём в REGIONS_RESOLVERS.
"""

from dataclasses import dataclass

from django.http.request import split_domain_port

from regions import geoip
from regions.conf import setting
from regions.exceptions import RegionUnknown


@dataclass(frozen=True)
class RegionResolution:
    """Итог определения региона: регион, имя сработавшего резолвера и признак догадки."""

    region: object
    resolver: str
    # True — регион угадан (GeoIP, по умолчанию): витрине стоит спросить «Ваш город — Москва?».
    is_guess: bool = False


class RegionResolver:
    """Базовый резолвер региона."""

    #: Имя резолвера в ответе /api/v1/regions/current.
    name = ""
    #: Регион угадан, а не выбран посетителем явно.
    is_guess = False

    def prepare(self, request, registry):
        """Подготовить запрос до определения региона (вызывается у всех резолверов).

        Args:
            request: HttpRequest.
            registry: RegionRegistry — активные регионы.
        """

    def resolve(self, request, registry):
        """Вернуть регион запроса или None, чтобы спросить следующий резолвер.

        Args:
            request: HttpRequest.
            registry: RegionRegistry — активные регионы.

        Returns:
            Region или None.

        Raises:
            RegionUnknown: посетитель явно назвал регион, которого нет.
        """
        raise NotImplementedError


def normalize_code(value):
    """Привести код региона из запроса к виду кода в базе: без пробелов, строчными."""
    return (value or "").strip().lower()


class ExplicitResolver(RegionResolver):
    """Регион, явно названный витриной: ?region=msk или заголовок X-Region: msk.

    Параметр запроса важнее заголовка: его видно в адресе. Неизвестный код — ошибка 400,
    а не молчаливый регион по умолчанию: витрина должна узнать, что ошиблась.
    """

    name = "explicit"

    def resolve(self, request, registry):
        header = "HTTP_" + setting("REGIONS_HEADER").upper().replace("-", "_")
        raw = request.GET.get(setting("REGIONS_QUERY_PARAMETER"))
        if raw is None or not raw.strip():
            raw = request.META.get(header)
        if raw is None or not raw.strip():
            return None
        region = registry.by_code.get(normalize_code(raw))
        if region is None:
            raise RegionUnknown(raw.strip())
        return region


class SubfolderResolver(RegionResolver):
    """Регион из первого сегмента пути: example.ru/msk/katalog/.

    Префикс снимается для маршрутизации (Django видит /katalog/) и сохраняется
    в request.region_path_prefix для ссылок. Незнакомый сегмент — обычный путь, не ошибка.
    """

    name = "subfolder"

    def prepare(self, request, registry):
        segments = request.path_info.lstrip("/").split("/", 1)
        region = registry.by_subfolder.get(segments[0]) if segments[0] else None
        if region is None:
            return
        request.region_from_subfolder = region
        request.region_path_prefix = f"/{segments[0]}"
        request.path_info = "/" + (segments[1] if len(segments) > 1 else "")

    def resolve(self, request, registry):
        return getattr(request, "region_from_subfolder", None)


class SubdomainResolver(RegionResolver):
    """Регион из поддомена: msk.example.ru при REGIONS_BASE_DOMAIN=example.ru.

    Незнакомый поддомен (www, api) — не ошибка: регион ищут дальше.
    """

    name = "subdomain"

    def resolve(self, request, registry):
        base_domain = setting("REGIONS_BASE_DOMAIN").lower().strip(".")
        # Сырой Host: ALLOWED_HOSTS проверит CommonMiddleware, здесь нам нужна только метка.
        host = split_domain_port(request._get_raw_host())[0].lower()
        suffix = "." + base_domain
        if not base_domain or not host.endswith(suffix):
            return None
        label = host[: -len(suffix)]
        return registry.by_subdomain.get(label)


class GeoIpResolver(RegionResolver):
    """Регион по IP посетителя: город, затем субъект (RU-MOW), затем страна (RU).

    Адреса нет в базе или базы нет — регион ищут дальше.
    """

    name = "geoip"
    is_guess = True

    def resolve(self, request, registry):
        if not (registry.by_geoip_code or registry.by_geoip_city):
            return None
        ip = geoip.client_ip(request)
        place = geoip.locator().locate(ip) if ip else None
        if place is None:
            return None
        for city in place.city_names:
            if city in registry.by_geoip_city:
                return registry.by_geoip_city[city]
        # Субъекты в базе идут от крупного к мелкому; точнее — мелкий.
        for code in reversed(place.subdivision_codes):
            if code in registry.by_geoip_code:
                return registry.by_geoip_code[code]
        return registry.by_geoip_code.get(place.country_code)


class CookieResolver(RegionResolver):
    """Регион, запомненный через POST /api/v1/regions/choose (cookie).

    Код отключённого или удалённого региона в cookie не ошибка посетителя: его пропускаем.
    """

    name = "cookie"

    def resolve(self, request, registry):
        return registry.by_code.get(normalize_code(request.COOKIES.get(setting("REGIONS_COOKIE_NAME"))))


class DefaultResolver(RegionResolver):
    """Регион по умолчанию; всегда последний в списке."""

    name = "default"
    is_guess = True

    def resolve(self, request, registry):
        return registry.default
