"""Экраны обмена в Wagtail admin: «Добавить», строки журнала, выгрузка из админки, честный итог проверки."""

import re

import pytest

from commerce.exchange.models import ExportJob, ExportStatus, ImportMode
from staff import roles
from tests.admin.conftest import role_user
from tests.factories.exchange import import_preview, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORTS = "/admin/exchange/imports/"
EXPORTS = "/admin/exchange/exports/"
UPLOAD = "/admin/exchange/upload/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def merchandiser(client):
    user = role_user(roles.MERCHANDISER)
    client.force_login(user)
    return user


def test_add_in_import_journal_opens_the_upload_form(client, merchandiser, catalog):
    # given: журнал импортов у товароведа
    page = client.get(IMPORTS)

    # then: кнопка «Добавить» ведёт на загрузку файла, а адрес формы задания — туда же
    assert page.status_code == 200
    assert f'href="{UPLOAD}"' in page.content.decode()
    response = client.get(IMPORTS + "new/")
    assert (response.status_code, response["Location"]) == (302, UPLOAD)
    assert client.get(UPLOAD).status_code == 200
    assert UPLOAD in client.get("/admin/").content.decode()  # пункт меню «Загрузить файл»


def test_import_journal_row_opens_the_review_page(client, merchandiser, catalog):
    job = import_preview(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "5"]]), name="prices.xlsx", user=merchandiser)

    page = client.get(IMPORTS).content.decode()

    review = f"{UPLOAD}{job.pk}/"
    assert f'href="{review}"' in page
    assert client.get(review).status_code == 200


def test_journals_offer_no_add_without_run_rights(client, catalog):
    # Менеджер заказов не запускает обмен: ни кнопки, ни формы.
    client.force_login(role_user(roles.ORDER_MANAGER))

    # Wagtail отвечает на отказ в правах переходом на главную с сообщением.
    for url in (EXPORTS + "new/", UPLOAD):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert UPLOAD not in client.get("/admin/").content.decode()  # и в меню пункта нет


def test_export_created_in_admin_runs_and_its_row_downloads_the_file(
    client, merchandiser, catalog, django_capture_on_commit_callbacks
):
    form = client.get(EXPORTS + "new/")
    assert form.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORTS + "new/", {"file_format": "csv", "category": "", "region": ""})

    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert (job.status, job.user_id, job.file_format) == (ExportStatus.DONE, merchandiser.pk, "csv")
    assert job.rows_total > 0
    journal = client.get(EXPORTS).content.decode()
    download = f"/api/v1/exchange/exports/{job.pk}/download/"
    assert f'href="{download}"' in journal
    assert client.get(download).status_code == 200


def test_review_translates_actions_and_is_honest_about_all_or_nothing(client, merchandiser, catalog):
    rows = [
        ["sku", "price:base"],
        ["phone-a-1", "5"],
        ["nope-1", "10"],
        ["nope-2", "10"],
        ["nope-3", "abc"],
    ]
    job = import_preview(xlsx_bytes(rows), name="bad.xlsx", mode=ImportMode.ALL_OR_NOTHING, user=merchandiser)
    assert job.rows_rejected == 3

    page = client.get(f"{UPLOAD}{job.pk}/").content.decode()

    cells = re.findall(r'<tr data-action="(\w+)"><td>\d+</td><td>(.*?)</td>', page)
    assert ("updated", "будет изменена") in cells
    assert ("rejected", "<strong>отклонена</strong>") in cells
    assert ">rejected<" not in page and ">updated<" not in page
    assert "с ошибками — 3 строки" in page
    assert "ничего не будет записано" in page
    assert "Применить верные строки" in page  # что делать дальше
    assert "Подтвердить и применить" not in page


def test_review_of_a_clean_file_says_what_will_happen(client, merchandiser, catalog):
    job = import_preview(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "5"]]), name="ok.xlsx", user=merchandiser)

    page = client.get(f"{UPLOAD}{job.pk}/").content.decode()

    assert "Проверено: 1 строка; будет создано: 0, будет изменено: 1" in page
    assert "нажмите «Подтвердить и применить»" in page


def test_running_import_refreshes_itself_with_progress(client, merchandiser, catalog):
    from commerce.exchange.progress import progress_set

    job = import_preview(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "5"]]), name="ok.xlsx", user=merchandiser)
    job.status = "applying"
    job.save(update_fields=["status"])
    progress_set(kind="import", job_id=job.pk, percent=42.0, rows=420, rows_per_second=1234.5, stage="applying")

    page = client.get(f"{UPLOAD}{job.pk}/").content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "42% · 420 строк обработано" in page
    assert "Страница обновляется сама" in page
