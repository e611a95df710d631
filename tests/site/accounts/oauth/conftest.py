"""Фикстуры входа через соцсети: поддельные провайдеры на 127.0.0.1 и подпись данных Telegram."""

import time

import pytest

from accounts.oauth.telegram import telegram_signature
from tests.site.accounts.oauth.fakes import FakeSberId, FakeVkId, FakeYandex

VK_CLIENT_ID = "51234567"
YANDEX_CLIENT_ID = "yandex-client"
YANDEX_SECRET = "yandex-secret-value"
BOT_TOKEN = "123456789:AAHfake-test-bot-token"
VK_CALLBACK = "https://shop.example.ru/auth/vk/callback"
YANDEX_CALLBACK = "https://shop.example.ru/auth/yandex/callback"


@pytest.fixture
def fake_vk(httpserver, settings):
    fake = FakeVkId(httpserver, "/vk", VK_CLIENT_ID).install()
    settings.OAUTH_VK_ENABLED = True
    settings.OAUTH_VK_CLIENT_ID = VK_CLIENT_ID
    settings.OAUTH_VK_BASE_URL = fake.url()
    settings.OAUTH_REDIRECT_URIS = [VK_CALLBACK, YANDEX_CALLBACK]
    fake.user = {"user_id": 1001, "first_name": "Иван", "last_name": "Петров", "avatar": "https://vk.example/a.jpg"}
    return fake


@pytest.fixture
def fake_yandex(httpserver, settings):
    fake = FakeYandex(httpserver, "/yandex-oauth", YANDEX_CLIENT_ID, YANDEX_SECRET, "/yandex-login").install()
    settings.OAUTH_YANDEX_ENABLED = True
    settings.OAUTH_YANDEX_CLIENT_ID = YANDEX_CLIENT_ID
    settings.OAUTH_YANDEX_CLIENT_SECRET = YANDEX_SECRET
    settings.OAUTH_YANDEX_OAUTH_URL = fake.url()
    settings.OAUTH_YANDEX_LOGIN_URL = fake.login_url()
    settings.OAUTH_REDIRECT_URIS = [VK_CALLBACK, YANDEX_CALLBACK]
    fake.user = {"id": "2002", "login": "ivan.petrov", "default_email": "ivan.petrov@yandex.ru", "first_name": "Иван"}
    return fake


@pytest.fixture
def telegram(settings):
    settings.OAUTH_TELEGRAM_ENABLED = True
    settings.OAUTH_TELEGRAM_BOT_TOKEN = BOT_TOKEN
    settings.OAUTH_TELEGRAM_BOT_USERNAME = "megashop_test_bot"
    return settings


def telegram_fields(*, bot_token=BOT_TOKEN, auth_date=None, **overrides):
    """Поля виджета, подписанные так, как их подписывает Telegram."""
    fields = {
        "id": 3003,
        "first_name": "Иван",
        "username": "ivan_tg",
        "photo_url": "https://t.me/i/userpic/320/ivan.jpg",
        "auth_date": int(time.time()) if auth_date is None else auth_date,
        **overrides,
    }
    fields["hash"] = telegram_signature({key: str(value) for key, value in fields.items()}, bot_token=bot_token)
    return fields


def oauth_login(api_client, fake, provider, callback, **complete_extra):
    """Пройти весь вход: start → «браузер» у провайдера → complete. Вернуть ответ complete."""
    started = api_client.post(f"/api/v1/auth/oauth/{provider}/start/", {"redirect_uri": callback}, format="json")
    assert started.status_code == 200, started.content
    returned = fake.authorize(started.json()["authorize_url"])
    assert returned["state"] == started.json()["state"]
    body = {"code": returned["code"], "state": returned["state"], **complete_extra}
    if "device_id" in returned:
        body.setdefault("device_id", returned["device_id"])
    return api_client.post(f"/api/v1/auth/oauth/{provider}/complete/", body, format="json")


SBER_CLIENT_ID = "5e7ee80a-6724-4078-8ee4-1dd63abcdef0"
SBER_SECRET = "sber-secret-value-123"
SBER_CALLBACK = "https://shop.example.ru/auth/sber/callback"


def _certificate(common_name, *, ip=None):
    """Самоподписанный сертификат и ключ (PEM); ``ip`` — адрес сервера в subjectAltName."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    if ip:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]), critical=False
        )
    cert = builder.sign(key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


@pytest.fixture
def sber_tls(tmp_path):
    """API Сбер ID на 127.0.0.1 по HTTPS с обязательным клиентским сертификатом (mTLS), как oauth.sber.ru.

    Returns:
        (сервер, файл сертификата клиента, файл ключа клиента, файл CA сервера).
    """
    import ssl

    from pytest_httpserver import HTTPServer

    files = {}
    for name, common_name, ip in (("server", "127.0.0.1", "127.0.0.1"), ("client", "megashop-partner", None)):
        cert_pem, key_pem = _certificate(common_name, ip=ip)
        files[name] = (tmp_path / f"{name}.crt", tmp_path / f"{name}.key")
        files[name][0].write_bytes(cert_pem)
        files[name][1].write_bytes(key_pem)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*files["server"])
    context.load_verify_locations(files["client"][0])
    context.verify_mode = ssl.CERT_REQUIRED  # без сертификата партнёра соединение не устанавливается
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server, str(files["client"][0]), str(files["client"][1]), str(files["server"][0])
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def fake_sber(httpserver, settings, sber_tls):
    server, cert_file, key_file, ca_file = sber_tls
    fake = FakeSberId(httpserver, "/sber-online", SBER_CLIENT_ID, SBER_SECRET, server, "/ru/prod").install()
    settings.OAUTH_SBER_ENABLED = True
    settings.OAUTH_SBER_CLIENT_ID = SBER_CLIENT_ID
    settings.OAUTH_SBER_CLIENT_SECRET = SBER_SECRET
    settings.OAUTH_SBER_AUTHORIZE_URL = fake.authorize_url()
    settings.OAUTH_SBER_API_URL = fake.api_url()
    settings.OAUTH_SBER_CERT_FILE, settings.OAUTH_SBER_KEY_FILE = cert_file, key_file
    settings.OAUTH_SBER_CA_FILE = ca_file
    settings.OAUTH_REDIRECT_URIS = [VK_CALLBACK, YANDEX_CALLBACK, SBER_CALLBACK]
    fake.user = {
        "sub": "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "family_name": "Сидорова",
        "given_name": "Анна",
        "middle_name": "Петровна",
        "phone_number": "79161234567",
        "email": "anna@example.ru",
    }
    return fake
