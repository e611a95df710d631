"""Настройки регионов: чтение, проверка при старте, созданные по ним объекты.

Все настройки приложения начинаются с ``REGIONS_``; их значения по умолчанию — только в
config/settings.py (блок «Регионы»), многие из переменных окружения. Неверная настройка останавливает запуск
с понятным ImproperlyConfigured, а не всплывает ошибкой 500 на первом запросе.
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from core.client_ip import trusted_proxy_networks

TREE_MODE_SUBFOLDER = "subfolder"
TREE_MODE_SUBDOMAIN = "subdomain"
TREE_MODES = (TREE_MODE_SUBFOLDER, TREE_MODE_SUBDOMAIN)

# Первые сегменты путей, занятые самим сайтом: регион с такой подпапкой перехватил бы их.
RESERVED_SUBFOLDERS = frozenset({"admin", "api", "django-admin", "documents", "media", "static"})


def setting(name):
    """Вернуть значение настройки регионов (все они определены в config/settings.py, блок «Регионы»)."""
    return getattr(settings, name)


@cache
def resolvers():
    """Создать по одному экземпляру каждого резолвера из REGIONS_RESOLVERS, в заданном порядке.

    Raises:
        ImproperlyConfigured: путь не импортируется, класс не наследует RegionResolver,
            имена повторяются или после DefaultResolver стоят резолверы, до которых не дойдёт очередь.
    """
    # resolvers импортирует этот модуль (setting): импорт здесь разрывает цикл.
    from regions.resolvers import DefaultResolver, RegionResolver

    dotted_paths = setting("REGIONS_RESOLVERS")
    if not dotted_paths:
        raise ImproperlyConfigured("REGIONS_RESOLVERS пуст: укажите хотя бы regions.resolvers.DefaultResolver.")
    instances = []
    for dotted_path in dotted_paths:
        try:
            resolver_class = import_string(dotted_path)
        except ImportError as exc:
            raise ImproperlyConfigured(f"REGIONS_RESOLVERS: не удалось импортировать «{dotted_path}»: {exc}") from exc
        if not (isinstance(resolver_class, type) and issubclass(resolver_class, RegionResolver)):
            raise ImproperlyConfigured(
                f"REGIONS_RESOLVERS: «{dotted_path}» должен быть подклассом regions.resolvers.RegionResolver."
            )
        instances.append(resolver_class())
    names = [instance.name for instance in instances]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured(f"REGIONS_RESOLVERS: резолверы повторяются: {', '.join(names)}.")
    default_positions = [index for index, instance in enumerate(instances) if isinstance(instance, DefaultResolver)]
    if default_positions and default_positions[0] != len(instances) - 1:
        raise ImproperlyConfigured(
            "REGIONS_RESOLVERS: DefaultResolver всегда находит регион, поэтому он должен стоять последним."
        )
    return tuple(instances)


def validate_settings():
    """Проверить все настройки регионов; вызывается из RegionsConfig.ready()."""
    mode = setting("REGIONS_TREE_MODE")
    if mode not in TREE_MODES:
        raise ImproperlyConfigured(f"REGIONS_TREE_MODE={mode!r} не поддерживается; допустимо: {', '.join(TREE_MODES)}.")
    if mode == TREE_MODE_SUBDOMAIN and not setting("REGIONS_BASE_DOMAIN"):
        raise ImproperlyConfigured("В режиме поддоменов нужен REGIONS_BASE_DOMAIN (например, example.ru).")
    if int(setting("REGIONS_GEOIP_RELOAD_SECONDS")) < 0:
        raise ImproperlyConfigured("REGIONS_GEOIP_RELOAD_SECONDS не может быть отрицательным.")
    resolvers()
    # Доверенные прокси общие для проекта (core.client_ip); GeoIP от них зависит — проверяем при старте.
    trusted_proxy_networks()


@receiver(setting_changed)
def _reset_on_setting_change(*, setting, **kwargs):
    """Сбросить созданные по настройкам объекты, когда тест меняет настройку через override_settings."""
    if setting.startswith("REGIONS_"):
        resolvers.cache_clear()
        # geoip импортирует этот модуль (setting): импорт здесь разрывает цикл.
        from regions import geoip

        geoip.locator_reset()
