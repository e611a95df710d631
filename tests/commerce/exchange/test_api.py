"""API обмена: загрузка, ход, подтверждение, отклонённые строки, экспорт; путь через настоящий воркер."""

import time
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commerce.catalog.models import Variant
from commerce.exchange import permissions as exchange_permissions
from commerce.exchange.models import ImportJob
from commerce.pricing.models import VariantPrice
from tests.factories.accounts import UserFactory, staff_user_with
from tests.factories.exchange import xlsx_bytes


@pytest.fixture
def staff_client(api_client, db):
    # Сотрудник с правами обмена и записей каталога через группу — без суперправ.
    user = staff_user_with(
        "exchange.run_import",
        "exchange.run_export",
        *exchange_permissions.WRITE_LABELS,
    )
    api_client.force_authenticate(user)
    api_client.user = user
    return api_client


@pytest.fixture
def eager_celery(settings):
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def upload(client, data, name="catalog.xlsx", **fields):
    return client.post(
        "/api/v1/exchange/imports/", {"file": SimpleUploadedFile(name, data), **fields}, format="multipart"
    )


@pytest.mark.django_db
def test_upload_preview_confirm_apply_through_api(
    catalog, staff_client, eager_celery, django_capture_on_commit_callbacks
):
    # given
    sku = catalog.phone_black.variant.sku
    data = xlsx_bytes([["sku", "price:base"], [sku, "777"]])

    # when: загрузка → пробный прогон
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, data)
    job_id = response.json()["id"]
    preview = staff_client.get(f"/api/v1/exchange/jobs/{job_id}/").json()

    # then: предпросмотр готов, ничего не записано
    assert response.status_code == 202
    assert preview["status"] == "preview"
    assert preview["counts"] == {"total": 1, "created": 0, "updated": 1, "unchanged": 0, "rejected": 0}
    assert preview["can_confirm"] is True
    assert preview["progress"]["percent"] == 100.0
    assert VariantPrice.objects.get(variant__sku=sku, price_list=catalog.base_list).price == Decimal("20000.00")

    # when: подтверждение
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = staff_client.post(f"/api/v1/exchange/jobs/{job_id}/confirm/")
    done = staff_client.get(f"/api/v1/exchange/jobs/{job_id}/").json()

    # then: применено и записано в журнал с автором и файлом
    assert confirmed.status_code == 202
    assert done["status"] == "done"
    assert VariantPrice.objects.get(variant__sku=sku, price_list=catalog.base_list).price == Decimal("777.00")
    job = ImportJob.objects.get(pk=job_id)
    assert job.user == staff_client.user
    assert job.file.read() == data


@pytest.mark.django_db
def test_bad_file_is_answered_400_with_stable_code(catalog, staff_client):
    response = upload(staff_client, b"%PDF-1.4\x00\x00binary", name="invoice.pdf")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "file_not_spreadsheet"
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_confirm_is_refused_when_all_or_nothing_file_has_errors(
    catalog, staff_client, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = upload(staff_client, xlsx_bytes([["sku", "price:base"], ["phone-a-1", "x"]])).json()["id"]

    response = staff_client.post(f"/api/v1/exchange/jobs/{job_id}/confirm/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "exchange_job_state_invalid"


@pytest.mark.django_db
def test_rejected_rows_are_downloadable(catalog, staff_client, eager_celery, django_capture_on_commit_callbacks):
    data = xlsx_bytes([["sku", "price:base"], ["phone-a-1", "1"], ["phone-b-1", "12,5О"]])
    with django_capture_on_commit_callbacks(execute=True):
        job_id = upload(staff_client, data, mode="skip_invalid").json()["id"]

    response = staff_client.get(f"/api/v1/exchange/jobs/{job_id}/rejected/")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(b"".join(response.streaming_content))).active
    assert list(sheet.iter_rows(values_only=True))[1] == ("phone-b-1", "12,5О", "строка 3: цена «12,5О» не число")


@pytest.mark.django_db
def test_unknown_job_is_404_with_code(staff_client):
    response = staff_client.get("/api/v1/exchange/jobs/999999/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "exchange_job_not_found"


@pytest.mark.django_db
def test_exchange_api_is_for_staff_only(api_client, catalog):
    api_client.force_authenticate(UserFactory(is_staff=False))

    assert api_client.get("/api/v1/exchange/jobs/1/").status_code == 403


@pytest.mark.django_db
def test_export_through_api_downloads_workbook(catalog, staff_client, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = staff_client.post("/api/v1/exchange/exports/", {"region": "msk"}, format="json").json()

    status = staff_client.get(f"/api/v1/exchange/exports/{job['id']}/").json()
    download = staff_client.get(status["download_url"])

    assert status["status"] == "done" and status["rows_total"] == Variant.objects.count()
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(b"".join(download.streaming_content))).active
    assert next(sheet.iter_rows(values_only=True))[0] == "sku"


@pytest.mark.django_db(transaction=True)
def test_big_file_runs_on_a_real_worker_with_progress(catalog, staff_client, celery_worker):
    # given: файл на 300 новых вариантов
    rows = [["sku", "name", "category", "price:base", "stock:msk-1"]]
    rows += [[f"W-{number:04d}", f"Товар {number}", "Одежда", f"{number},50", number % 7] for number in range(300)]

    # when: загрузка и ожидание предпросмотра от воркера
    job_id = upload(staff_client, xlsx_bytes(rows)).json()["id"]
    preview = wait_for(staff_client, job_id, {"preview", "failed"})
    staff_client.post(f"/api/v1/exchange/jobs/{job_id}/confirm/")
    done = wait_for(staff_client, job_id, {"done", "rejected", "failed"})

    # then
    assert preview["counts"]["created"] == 300
    assert done["status"] == "done", done
    assert done["progress"]["percent"] == 100.0
    assert done["rows_per_second"] > 0
    assert Variant.objects.filter(sku__startswith="W-").count() == 300


def wait_for(client, job_id, statuses, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/exchange/jobs/{job_id}/").json()
        if body["status"] in statuses:
            return body
        time.sleep(0.2)
    raise AssertionError(f"задание {job_id} не дошло до {statuses}: {body}")
