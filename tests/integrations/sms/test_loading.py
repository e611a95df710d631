"""Выбор шлюза по SMS_BACKEND, проверка при старте и журналирование отправки."""

import logging

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from core.sms import SmsBackend, SmsDeliveryError, SmsResult, phone_mask, sms_backend_get, sms_send
from integrations.sms.backends import locmem
from integrations.sms.backends.console import ConsoleSmsBackend


class FailingBackend(SmsBackend):
    def send(self, *, phone, text, client_id):
        raise SmsDeliveryError("no_balance", "not enough balance")


def test_backend_is_chosen_by_dotted_path(settings):
    settings.SMS_BACKEND = "integrations.sms.backends.console.ConsoleSmsBackend"
    assert isinstance(sms_backend_get(), ConsoleSmsBackend)


def test_unknown_backend_path_stops_startup(settings):
    settings.SMS_BACKEND = "integrations.sms.backends.nowhere.Backend"
    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND"):
        apps.get_app_config("sms").ready()


def test_class_that_is_not_an_sms_backend_is_rejected(settings):
    settings.SMS_BACKEND = "core.sms.SmsResult"
    with pytest.raises(ImproperlyConfigured, match="SmsBackend"):
        sms_backend_get()


def test_prostor_without_credentials_stops_startup(settings):
    settings.SMS_BACKEND = "integrations.sms.backends.prostor.ProstorSmsBackend"
    settings.SMS_PROSTOR_LOGIN = ""
    settings.SMS_PROSTOR_PASSWORD = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_PROSTOR_PASSWORD"):
        apps.get_app_config("sms").ready()


def test_console_backend_writes_message_to_log(caplog):
    with caplog.at_level(logging.WARNING, logger="integrations.sms.backends.console"):
        result = ConsoleSmsBackend().send(phone="+79161234567", text="Код: 111222", client_id="c1")
    assert isinstance(result, SmsResult)
    assert "+79161234567" in caplog.text
    assert "111222" in caplog.text


def test_sms_send_logs_delivery_failure_without_message_text(settings, caplog):
    settings.SMS_BACKEND = f"{__name__}.FailingBackend"
    with caplog.at_level(logging.WARNING, logger="core.sms"), pytest.raises(SmsDeliveryError):
        sms_send(phone="+79161234567", text="Код: 987654", client_id="c9")
    assert "no_balance" in caplog.text
    assert "987654" not in caplog.text
    assert "+79161234567" not in caplog.text


def test_sms_send_passes_message_to_configured_backend(settings):
    settings.SMS_BACKEND = "integrations.sms.backends.locmem.LocmemSmsBackend"
    locmem.outbox.clear()
    sms_send(phone="+79161234567", text="привет", client_id="c2")
    assert locmem.outbox == [locmem.OutboxMessage(phone="+79161234567", text="привет", client_id="c2")]


def test_phone_mask_hides_middle_digits():
    assert phone_mask("+79161234567") == "+7916*****67"
