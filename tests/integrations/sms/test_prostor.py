"""Шлюз Prostor SMS против локального поддельного сервера на 127.0.0.1, говорящего по протоколу iqsms v2."""

import json
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from werkzeug import Response

from core.sms import SmsDeliveryError
from integrations.sms.backends.prostor import ProstorSmsBackend

SEND_PATH = "/messages/v2/send.json"


@pytest.fixture
def prostor(httpserver, settings):
    """Шлюз Prostor, направленный на поддельный сервер."""
    settings.SMS_PROSTOR_URL = httpserver.url_for("/").rstrip("/")
    settings.SMS_PROSTOR_LOGIN = "shop"
    settings.SMS_PROSTOR_PASSWORD = "s3cret"
    settings.SMS_PROSTOR_SENDER = "Megashop"
    settings.SMS_PROSTOR_TIMEOUT = 0.5
    return ProstorSmsBackend()


def test_prostor_sends_json_request_by_protocol_and_returns_gateway_id(prostor, httpserver):
    # given: шлюз принимает сообщение
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_json(
        {
            "status": "ok",
            "messages": [
                {"clientId": "login-1", "smscId": 2592608030, "status": "accepted", "smsCount": 1, "msgCost": 1.64}
            ],
            "balance": [{"type": "RUB", "balance": 15155.37, "credit": 0}],
        }
    )
    # when
    result = prostor.send(phone="+79161234567", text="Код Megashop: 123456", client_id="login-1")
    # then: ответ разобран, запрос — по протоколу
    assert result.message_id == "2592608030"
    assert result.parts == 1
    assert result.cost == Decimal("1.64")
    request, _response = httpserver.log[0]
    assert request.headers["Content-Type"].startswith("application/json")
    body = json.loads(request.get_data())
    assert body == {
        "login": "shop",
        "password": "s3cret",
        "messages": [
            {"phone": "+79161234567", "clientId": "login-1", "text": "Код Megashop: 123456", "sender": "Megashop"}
        ],
    }


def test_prostor_reports_wrong_credentials_as_auth_error(prostor, httpserver):
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_json(
        {"status": "error", "description": "error authorization"}
    )
    with pytest.raises(SmsDeliveryError) as error:
        prostor.send(phone="+79161234567", text="x", client_id="c1")
    assert error.value.reason == "auth"


def test_prostor_reports_http_401_as_auth_error(prostor, httpserver):
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_data("Unauthorized", status=401)
    with pytest.raises(SmsDeliveryError) as error:
        prostor.send(phone="+79161234567", text="x", client_id="c1")
    assert error.value.reason == "auth"


def test_prostor_reports_empty_balance(prostor, httpserver):
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_json(
        {"status": "ok", "messages": [{"clientId": "c1", "status": "not enough balance"}]}
    )
    with pytest.raises(SmsDeliveryError) as error:
        prostor.send(phone="+79161234567", text="x", client_id="c1")
    assert error.value.reason == "no_balance"


def test_prostor_reports_rejected_message(prostor, httpserver):
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_json(
        {"status": "ok", "messages": [{"clientId": "c1", "status": "sender address invalid"}]}
    )
    with pytest.raises(SmsDeliveryError) as error:
        prostor.send(phone="+79161234567", text="x", client_id="c1")
    assert error.value.reason == "rejected"
    assert "sender address invalid" in str(error.value)


def test_prostor_reports_gateway_server_error_as_unavailable(prostor, httpserver):
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_data("Bad Gateway", status=502)
    with pytest.raises(SmsDeliveryError) as error:
        prostor.send(phone="+79161234567", text="x", client_id="c1")
    assert error.value.reason == "unavailable"


def test_prostor_reports_closed_port_as_unavailable(settings):
    # given: на этом порту никто не слушает (сервер запущен и сразу остановлен)
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    url = server.url_for("/").rstrip("/")
    server.stop()
    settings.SMS_PROSTOR_URL = url
    settings.SMS_PROSTOR_LOGIN = "shop"
    settings.SMS_PROSTOR_PASSWORD = "s3cret"
    # when / then
    with pytest.raises(SmsDeliveryError) as error:
        ProstorSmsBackend().send(phone="+79161234567", text="x", client_id="c1")
    assert error.value.reason == "unavailable"


def test_prostor_gives_up_on_slow_gateway_after_timeout(prostor, httpserver):
    # given: шлюз отвечает дольше настроенного таймаута (0,5 с); ответ отпускаем после проверки,
    # чтобы однопоточный поддельный сервер не держал следующие тесты
    release = threading.Event()

    def slow(_request):
        release.wait(timeout=3)
        return Response(json.dumps({"status": "ok", "messages": []}), content_type="application/json")

    httpserver.expect_request(SEND_PATH, method="POST").respond_with_handler(slow)
    # when
    started = time.monotonic()
    try:
        with pytest.raises(SmsDeliveryError) as error:
            prostor.send(phone="+79161234567", text="x", client_id="c1")
    finally:
        release.set()
    # then: ждали не дольше таймаута с запасом, а не весь ответ
    assert error.value.reason == "timeout"
    assert time.monotonic() - started < 1.4


def test_prostor_reports_non_json_answer_as_bad_response(prostor, httpserver):
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_data("<html>maintenance</html>", status=200)
    with pytest.raises(SmsDeliveryError) as error:
        prostor.send(phone="+79161234567", text="x", client_id="c1")
    assert error.value.reason == "bad_response"


def test_prostor_without_credentials_stops_configuration(settings):
    settings.SMS_PROSTOR_LOGIN = ""
    settings.SMS_PROSTOR_PASSWORD = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_PROSTOR_LOGIN"):
        ProstorSmsBackend()
