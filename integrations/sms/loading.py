"""Выбор SMS-шлюза по настройке SMS_BACKEND."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from integrations.sms.base import SmsBackend


def sms_backend_get():
    """Создать шлюз, указанный в SMS_BACKEND.

    Raises:
        ImproperlyConfigured: путь не импортируется, класс не наследует SmsBackend
            или шлюзу не хватает настроек.
    """
    path = settings.SMS_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"SMS_BACKEND={path!r}: класс не найден ({error}).") from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, SmsBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND={path!r}: класс должен наследовать integrations.sms.base.SmsBackend.")
    return backend_class()
