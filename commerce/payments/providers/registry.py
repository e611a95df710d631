"""Реестр провайдеров: код → класс по точечному пути из настройки PAYMENTS_PROVIDERS."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from commerce.payments.providers.base import PaymentProvider


class ProviderNotAvailable(LookupError):
    """Провайдер с таким кодом не включён."""


def enabled_provider_codes():
    """Коды включённых провайдеров в порядке настройки."""
    return list(settings.PAYMENTS_PROVIDERS)


@cache
def provider_get(code):
    """Вернуть экземпляр провайдера по коду (один на процесс).

    Raises:
        ProviderNotAvailable: такого провайдера нет среди включённых.
    """
    dotted_path = settings.PAYMENTS_PROVIDERS.get(code)
    if dotted_path is None:
        raise ProviderNotAvailable(code)
    provider_class = import_string(dotted_path)
    return provider_class()


@receiver(setting_changed)
def _reset_on_setting_change(*, setting, **kwargs):
    if setting.startswith(("PAYMENTS_", "YOOKASSA_")):
        provider_get.cache_clear()


def providers_validate():
    """Проверить PAYMENTS_PROVIDERS при старте: пути импортируются, классы верные, коды совпадают."""
    for code, dotted_path in settings.PAYMENTS_PROVIDERS.items():
        try:
            provider_class = import_string(dotted_path)
        except ImportError as error:
            raise ImproperlyConfigured(f"PAYMENTS_PROVIDERS[{code!r}]: не импортируется {dotted_path}.") from error
        if not (isinstance(provider_class, type) and issubclass(provider_class, PaymentProvider)):
            raise ImproperlyConfigured(f"PAYMENTS_PROVIDERS[{code!r}]: {dotted_path} — не PaymentProvider.")
        if provider_class.code != code:
            raise ImproperlyConfigured(
                f"PAYMENTS_PROVIDERS: ключ {code!r} не совпадает с кодом провайдера {provider_class.code!r}."
            )
        # Создание экземпляра проверяет учётные данные (ЮKassa без ключей не стартует).
        provider_get(code)
