"""Плохой вход: каждый отказ — ответ «failure» с причиной по-русски, и ничего не записано."""

import io
import zipfile

import pytest

from commerce.catalog.models import Category, Product, Variant
from commerce.pricing.models import VariantPrice
from integrations.core.models import SyncRun
from integrations.onec.models import ExchangeImport, ExchangeSession, ImportState
from tests.integrations.onec.conftest import catalog_zip, data

pytestmark = pytest.mark.django_db(transaction=True)


def catalog_snapshot():
    return (Product.objects.count(), Variant.objects.count(), Category.objects.count(), VariantPrice.objects.count())


def started(fake_onec):
    assert fake_onec.checkauth()[0] == "success"
    fake_onec.init()
    return fake_onec


def test_wrong_password_is_refused_and_opens_no_session(fake_onec):
    lines = fake_onec.checkauth(password="wrong")

    assert lines == ["failure", "Неверный логин или пароль пользователя обмена."]
    assert not ExchangeSession.objects.exists()


def test_checkauth_without_credentials(fake_onec):
    response = fake_onec.http.get(fake_onec.url, params={"type": "catalog", "mode": "checkauth"}, timeout=30)

    assert response.status_code == 200
    assert response.text.startswith("failure\nНужна авторизация")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_missing_and_stale_cookie(fake_onec, settings):
    assert fake_onec.lines(fake_onec.call("catalog", "init"))[0] == "failure"
    fake_onec.checkauth()
    ExchangeSession.objects.update(last_seen_at="2000-01-01T00:00:00Z")

    lines = fake_onec.lines(fake_onec.call("catalog", "init"))

    assert lines[0] == "failure" and "истекла" in lines[1]


def test_unknown_type_and_mode(fake_onec):
    started(fake_onec)
    assert fake_onec.lines(fake_onec.call("prices", "init"))[0] == "failure"
    unknown = fake_onec.lines(fake_onec.call("catalog", "explode"))
    assert unknown == ["failure", "Неизвестный режим обмена «explode»."]


def test_cookie_of_catalog_session_does_not_open_sale(fake_onec):
    started(fake_onec)
    assert fake_onec.lines(fake_onec.call("sale", "query"))[0] == "failure"


def test_broken_xml_leaves_previous_catalog_intact(fake_onec, monkeypatch):
    fake_onec.catalog_exchange(catalog_zip())
    before = catalog_snapshot()
    # Пачки по одному товару: первые товары успели бы записаться, если бы не общая транзакция файла.
    monkeypatch.setattr("integrations.onec.importer.CATALOG_IN_BATCH", 1)
    changed = data("import.xml").replace("Кеды белые".encode(), "Кеды новые".encode())
    broken = changed[: changed.index("<Товар Статус".encode())] + "<Товар><Ид>x</Ид><Наим".encode()
    started(fake_onec)
    fake_onec.upload("import.xml", broken)

    lines, _calls = fake_onec.import_file("import.xml")

    assert lines[0] == "failure"
    assert "не XML или повреждён (строка" in lines[1]
    assert catalog_snapshot() == before
    assert not Product.objects.filter(name="Кеды новые").exists()
    assert SyncRun.objects.latest("pk").state == "failed"


@pytest.mark.parametrize(
    ("name", "reason"),
    [("bomb.xml", "DTD или сущности"), ("cml1.xml", "CommerceML 1.01 не поддерживается")],
)
def test_xml_bomb_and_commerceml_1_are_refused(fake_onec, name, reason):
    before = catalog_snapshot()
    started(fake_onec)
    fake_onec.upload("import.xml", data(name))

    lines, _calls = fake_onec.import_file("import.xml")

    assert lines[0] == "failure" and reason in lines[1]
    assert catalog_snapshot() == before


@pytest.mark.parametrize("evil", ["../../escape.xml", "/etc/cron.d/evil.xml", "import_files/../../x.png"])
def test_zip_with_escaping_paths_is_refused(fake_onec, settings, tmp_path, evil):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("import.xml", data("import.xml"))
        bundle.writestr(evil, b"<?xml version='1.0'?><x/>")
    before = catalog_snapshot()
    started(fake_onec)
    fake_onec.upload("bundle.zip", buffer.getvalue())

    lines, _calls = fake_onec.import_file("import.xml")

    assert lines[0] == "failure" and "Недопустимое имя файла" in lines[1]
    assert not (tmp_path / "escape.xml").exists() and not (tmp_path / "x.png").exists()
    assert catalog_snapshot() == before


def test_zip_bomb_is_refused(fake_onec):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("import.xml", data("import.xml"))
        bundle.writestr("import_files/zeros.png", b"\0" * (20 * 1024 * 1024))
    started(fake_onec)
    fake_onec.upload("bomb.zip", buffer.getvalue())

    lines, _calls = fake_onec.import_file("import.xml")

    assert lines[0] == "failure" and "сжат" in lines[1]


def test_upload_path_traversal_and_executables_refused(fake_onec):
    started(fake_onec)
    for name in ("../outside.xml", "/abs/import.xml", "shell.php"):
        lines = fake_onec.lines(fake_onec.call("catalog", "file", method="POST", data=b"x", filename=name))
        assert lines[0] == "failure", name


def test_chunk_bigger_than_file_limit(fake_onec):
    started(fake_onec)

    lines = fake_onec.lines(
        fake_onec.call("catalog", "file", method="POST", data=b"x" * (fake_onec.file_limit + 1), filename="import.xml")
    )

    assert lines[0] == "failure" and "больше допустимого" in lines[1]


def test_import_of_file_never_uploaded(fake_onec):
    started(fake_onec)

    lines, calls = fake_onec.import_file("offers.xml")

    assert calls == 1
    assert lines == ["failure", "Файл offers.xml не был загружен в этой сессии."]


def test_second_exchange_is_refused_while_first_is_loading(fake_onec, live_server):
    from tests.integrations.onec.fake_onec import FakeOnec

    started(fake_onec)
    fake_onec.upload("import.xml", data("import.xml"))
    session = ExchangeSession.objects.get()
    # Загрузка первой сессии «идёт» (так её видит вторая 1С, пока воркер пишет каталог).
    ExchangeImport.objects.create(session=session, filename="import.xml", state=ImportState.RUNNING)
    other = FakeOnec(base_url=live_server.url, username=fake_onec.username, password=fake_onec.password)

    lines = other.checkauth()

    assert lines[0] == "failure" and "Идёт другой обмен" in lines[1]
    assert ExchangeSession.objects.count() == 1
