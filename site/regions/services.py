"""Изменения регионов: регион по умолчанию, постройка деревьев страниц и сайтов, копирование страниц."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from regions import conf
from regions.models import Region, RegionHomePage, RegionsRootPage
from regions.registry import region_registry_invalidate
from regions.selectors import page_region, region_home_page

ROOT_SLUG = "regions"


@transaction.atomic
def region_upsert(*, code, **attributes):
    """Создать регион с кодом или обновить его поля; проверить модель целиком (clean()).

    Returns:
        (Region, created)

    Raises:
        django.core.exceptions.ValidationError: поля неверны.
    """
    region = Region.objects.filter(code=code).first()
    created = region is None
    region = region or Region(code=code)
    for name, value in attributes.items():
        setattr(region, name, value)
    region.full_clean()
    region.save()
    return region, created


@transaction.atomic
def region_make_default(*, region):
    """Сделать регион регионом по умолчанию (и активным), сняв отметку с прежнего.

    Прежний снимается раньше, чем ставится новый: ограничение базы допускает только один.
    """
    Region.objects.filter(is_default=True).exclude(pk=region.pk).update(is_default=False)
    region.is_default = True
    region.is_active = True
    region.save(update_fields=["is_default", "is_active"])
    # update() не шлёт сигналов — снимок сбрасываем сами.
    region_registry_invalidate()
    return region


def _publish(page):
    page.save_revision().publish()
    return page


def _free_slug(parent, slug):
    """Вернуть slug, не занятый среди детей parent (regions, regions-2, ...)."""
    candidate, number = slug, 1
    while parent.get_children().filter(slug=candidate).exists():
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _ensure_root(locale):
    root = RegionsRootPage.objects.filter(locale=locale).first()
    if root is not None:
        return root, False
    wagtail_root = Page.get_first_root_node()
    root = RegionsRootPage(title=settings.WAGTAIL_SITE_NAME, slug=_free_slug(wagtail_root, ROOT_SLUG), locale=locale)
    wagtail_root.add_child(instance=root)
    return _publish(root), True


def _ensure_home(*, root, region, locale):
    home = RegionHomePage.objects.filter(region=region, locale=locale).first()
    if home is None:
        home = RegionHomePage(title=region.name, slug=region.tree_slug, region=region, locale=locale)
        root.add_child(instance=home)
        return _publish(home), True
    if home.slug != region.tree_slug:
        # Slug домашней страницы — подпапка региона в адресах; публикация пересчитывает пути потомков.
        home.slug = region.tree_slug
        _publish(home)
    return home, False


def _ensure_translations(pages, default_locale, log):
    """Создать переводы корня и домашних страниц на все остальные локали (если их ещё нет)."""
    for locale in Locale.objects.exclude(pk=default_locale.pk):
        for page in pages:
            if page.has_translation(locale):
                continue
            translated = page.copy_for_translation(locale, copy_parents=True)
            _publish(translated.specific)
            log(_("Перевод «%(title)s» на %(language)s создан.") % {"title": page.title, "language": locale})


def _site_hostname(region, base_domain):
    return f"{region.subdomain or region.code}.{base_domain}"


def _rebuild_sites(*, mode, root, homes, base_domain, log):
    """Привести сайты Wagtail к режиму: один сайт на корень регионов или сайт на каждый регион."""
    managed = Site.objects.filter(
        Q(root_page__in=RegionsRootPage.objects.values("pk"))
        | Q(root_page__in=RegionHomePage.objects.values("pk"))
        | Q(is_default_site=True)
    )
    managed_ids = set(managed.values_list("pk", flat=True))
    # Сначала снимаем отметку «по умолчанию» со всех: иначе два сайта по умолчанию на миг.
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    kept = []
    if mode == conf.TREE_MODE_SUBFOLDER:
        site = managed.filter(root_page=root).first() or managed.first() or Site()
        site.hostname, site.port, site.root_page = base_domain, 80, root
        site.site_name, site.is_default_site = settings.WAGTAIL_SITE_NAME, True
        Site.objects.filter(hostname=base_domain, port=80).exclude(pk=site.pk).filter(pk__in=managed_ids).delete()
        site.save()
        kept.append(site.pk)
        log(_("Сайт %(host)s → корень регионов.") % {"host": base_domain})
    else:
        for region, home in homes:
            if not region.is_active:
                continue
            hostname = _site_hostname(region, base_domain)
            site = (
                Site.objects.filter(root_page=home).first() or Site.objects.filter(hostname=hostname, port=80).first()
            )
            site = site or Site()
            site.hostname, site.port, site.root_page = hostname, 80, home
            site.site_name, site.is_default_site = region.name, region.is_default
            site.save()
            kept.append(site.pk)
            log(_("Сайт %(host)s → регион «%(region)s».") % {"host": hostname, "region": region.name})
    stale = Site.objects.filter(pk__in=managed_ids - set(kept))
    for site in stale:
        log(_("Сайт %(host)s удалён (страницы остались).") % {"host": site.hostname})
    stale.delete()


@transaction.atomic
def region_tree_build(*, mode=None, base_domain=None, log=None):
    """Построить или перестроить деревья страниц регионов и сайты Wagtail для режима.

    Идемпотентно: недостающие корень и домашние страницы создаются, существующие не трогаются
    (кроме slug, который следует за подпапкой региона). Смена режима меняет только сайты:
    страницы остаются на своих местах, поэтому ничего не теряется.

    Args:
        mode: "subfolder" или "subdomain"; по умолчанию REGIONS_TREE_MODE.
        base_domain: домен сайта; по умолчанию REGIONS_BASE_DOMAIN.
        log: функция для строк журнала (например, stdout.write).

    Raises:
        ValueError: неизвестный режим.
    """
    mode = mode or conf.setting("REGIONS_TREE_MODE")
    if mode not in conf.TREE_MODES:
        raise ValueError(_("Неизвестный режим дерева: %(mode)s.") % {"mode": mode})
    base_domain = base_domain or conf.setting("REGIONS_BASE_DOMAIN")
    log = log or (lambda message: None)
    default_locale = Locale.get_default()
    root, created = _ensure_root(default_locale)
    if created:
        log(_("Создан корень регионов «%(title)s».") % {"title": root.title})
    homes = []
    for region in Region.objects.order_by("sort_order", "code"):
        home, created = _ensure_home(root=root, region=region, locale=default_locale)
        if created:
            log(_("Создана домашняя страница региона «%(region)s».") % {"region": region.name})
        homes.append((region, home))
    _ensure_translations([root, *(home for _region, home in homes)], default_locale, log)
    _rebuild_sites(mode=mode, root=root, homes=homes, base_domain=base_domain, log=log)
    return root


@dataclass(frozen=True)
class PageCopyResult:
    """Итог копирования страницы в один регион: копия или причина пропуска."""

    region: Region
    page: Page | None = None
    skipped_reason: str = ""


@transaction.atomic
def page_copy_to_regions(*, page, regions, user=None):
    """Скопировать страницу в деревья других регионов на то же место, черновиком.

    Родитель копии — страница с тем же путём относительно домашней страницы целевого
    региона. Копия не публикуется: маркетолог проверяет цены и телефоны региона и публикует сам.

    Returns:
        list[PageCopyResult] — по одному на регион.

    Raises:
        ValueError: страница не лежит в дереве региона или это сама домашняя страница.
    """
    page = page.specific
    source_region = page_region(page=page)
    if source_region is None or isinstance(page, RegionHomePage):
        raise ValueError(_("Копировать в регионы можно только страницы внутри дерева региона."))
    source_home = RegionHomePage.objects.get(region=source_region, locale=page.locale)
    parent_relative = page.get_parent().url_path[len(source_home.url_path) :]
    results = []
    for region in regions:
        if region.pk == source_region.pk:
            continue
        home = region_home_page(region=region, locale=page.locale)
        if home is None or home.locale_id != page.locale_id:
            results.append(PageCopyResult(region=region, skipped_reason=_("У региона нет домашней страницы.")))
            continue
        parent = Page.objects.filter(url_path=home.url_path + parent_relative, locale=page.locale).first()
        if parent is None:
            reason = _("В регионе нет родительской страницы «%(path)s».") % {"path": "/" + parent_relative}
            results.append(PageCopyResult(region=region, skipped_reason=reason))
            continue
        if parent.get_children().filter(slug=page.slug).exists():
            reason = _("В регионе уже есть страница «%(slug)s».") % {"slug": page.slug}
            results.append(PageCopyResult(region=region, skipped_reason=reason))
            continue
        copy = page.copy(to=parent, keep_live=False, user=user)
        results.append(PageCopyResult(region=region, page=copy))
    return results
