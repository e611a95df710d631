"""Чтения регионов: определение региона запроса, регионы, региональные деревья страниц."""

from django.db.models import F
from django.db.models.functions import Substr
from wagtail.models import Locale

from regions import conf
from regions.exceptions import RegionUnknown
from regions.models import Region, RegionHomePage, RegionsRootPage
from regions.registry import region_registry
from regions.resolvers import RegionResolution


def region_resolve(*, request):
    """Определить регион запроса резолверами из REGIONS_RESOLVERS по порядку.

    Returns:
        RegionResolution или None, если ни одного активного региона нет.

    Raises:
        RegionUnknown: регион назван явно, но его нет.
    """
    registry = region_registry()
    resolvers = conf.resolvers()
    for resolver in resolvers:
        resolver.prepare(request, registry)
    for resolver in resolvers:
        region = resolver.resolve(request, registry)
        if region is not None:
            return RegionResolution(region=region, resolver=resolver.name, is_guess=resolver.is_guess)
    return None


def region_list_active():
    """Вернуть активные регионы по порядку (из снимка в памяти, без SQL)."""
    return list(region_registry().regions)


def region_get_active(*, code):
    """Вернуть активный регион по коду.

    Raises:
        RegionUnknown: такого активного региона нет.
    """
    region = region_registry().by_code.get((code or "").strip().lower())
    if region is None:
        raise RegionUnknown(code)
    return region


def region_for_request(*, request):
    """Вернуть регион запроса: request.region от RegionMiddleware, а без него — регион по умолчанию.

    Запасной путь нужен, пока middleware регионов не подключено (и для вызовов вне HTTP).
    """
    region = getattr(request, "region", None)
    if region is not None:
        return region
    return Region.objects.filter(is_default=True).first()


def region_default():
    """Вернуть регион по умолчанию или None, если регионы не настроены."""
    return region_registry().default


def locale_for_language(language):
    """Вернуть локаль Wagtail для кода языка, а без неё — локаль по умолчанию."""
    language = (language or "").split("-")[0]
    for locale in Locale.objects.all():
        if locale.language_code.split("-")[0] == language:
            return locale
    return Locale.get_default()


def region_home_page(*, region, locale=None):
    """Вернуть домашнюю страницу региона в локали (конкретный класс) или None.

    Если дерево региона ещё не переведено на язык локали, вернуть страницу локали
    по умолчанию: содержимое по-русски лучше пустой витрины.
    """
    homes = RegionHomePage.objects.filter(region_id=region.pk).select_related("locale", "region")
    home = homes.filter(locale=locale).first() if locale is not None else None
    return home or homes.filter(locale=Locale.get_default()).first() or homes.first()


def region_default_home_page(*, locale=None):
    """Вернуть домашнюю страницу региона по умолчанию в локали или None."""
    default = region_default()
    return region_home_page(region=default, locale=locale) if default is not None else None


def page_region(*, page):
    """Вернуть регион, к которому относится страница (по ближайшей региональной домашней), или None."""
    home = (
        RegionHomePage.objects.filter(
            path__in=[page.path[:index] for index in range(page.steplen, len(page.path) + 1, page.steplen)]
        )
        .select_related("region")
        .order_by("-depth")
        .first()
    )
    return home.region if home is not None else None


def _relative_paths(queryset, home):
    """Пути страниц относительно домашней страницы: «/regions/msk/dostavka/» → «dostavka/»."""
    return queryset.annotate(relative_path=Substr(F("url_path"), len(home.url_path) + 1)).values("relative_path")


def page_queryset_for_region(*, queryset, region, locale):
    """Сузить страницы до дерева региона плюс страниц региона по умолчанию, которых у региона нет.

    Домашняя страница региона по умолчанию в запасные не входит: её заменяет своя.
    Если у региона нет домашней страницы, отдаются страницы региона по умолчанию.
    """
    home = region_home_page(region=region, locale=locale) if region is not None else None
    default_home = region_default_home_page(locale=locale)
    if home is None:
        home = default_home
    if home is None:
        return queryset.none()
    own = queryset.descendant_of(home, inclusive=True)
    if default_home is None or default_home.pk == home.pk:
        return own
    fallback = (
        queryset.descendant_of(default_home, inclusive=False)
        .annotate(relative_path=Substr(F("url_path"), len(default_home.url_path) + 1))
        .exclude(relative_path__in=_relative_paths(queryset.descendant_of(home), home))
    )
    return queryset.filter(pk__in=own.values("pk")) | queryset.filter(pk__in=fallback.values("pk"))


def page_find_for_region(*, queryset, region, locale, path):
    """Найти живую страницу по пути внутри дерева региона, а без неё — в дереве региона по умолчанию.

    Путь — как на витрине: «/dostavka/». В режиме подпапок он может начинаться с подпапки
    региона («/kzn/dostavka/»): тогда регион берётся из неё.

    Returns:
        Страница (конкретный класс) или None.
    """
    components = [component for component in (path or "").split("/") if component]
    registry = region_registry()
    if components and components[0] in registry.by_subfolder:
        region = registry.by_subfolder[components[0]]
        components = components[1:]
    homes = []
    if region is not None:
        homes.append(region_home_page(region=region, locale=locale))
    homes.append(region_default_home_page(locale=locale))
    relative = "".join(f"{component}/" for component in components)
    for home in homes:
        if home is None:
            continue
        page = queryset.filter(url_path=home.url_path + relative).first()
        if page is not None:
            return page.specific
    return None


def page_tree_pages(*, locale=None):
    """Вернуть страницы-корни региональных деревьев (для админки и команд)."""
    queryset = RegionsRootPage.objects.all()
    if locale is not None:
        queryset = queryset.filter(locale=locale)
    return queryset
