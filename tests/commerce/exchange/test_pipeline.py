"""Путь импорта и экспорта целиком: листы справочников, очередь, поиск, страницы Wagtail admin."""

import io
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commerce.catalog.models import Attribute, Category, Product, Variant
from commerce.exchange import export, services
from commerce.exchange.models import ImportJob, ImportMode, ImportStatus
from tests.factories.accounts import UserFactory
from tests.factories.exchange import import_apply, import_preview, xlsx_bytes

pytestmark = pytest.mark.django_db

REFERENCE_SHEETS = {
    "categories": [["path", "slug"], ["Электроника / Планшеты", "tablets"]],
    "attributes": [["code", "name", "type", "choices"], ["season", "Сезон", "choice", "winter=Зима; summer"]],
}
NEW_ROWS = [
    ["sku", "name", "category", "attr:season", "price:base"],
    ["TAB-1", "Планшет", "Электроника / Планшеты", "Зима", "100"],
]


def export_workbook(**filters):
    buffer = io.BytesIO()
    export.export_write(fileobj=buffer, file_format="xlsx", **filters)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)


def test_export_writes_reference_sheets_and_numbers_as_numbers(catalog):
    workbook = export_workbook()

    assert workbook.sheetnames == ["catalog", "categories", "attributes"]
    categories = list(workbook["categories"].iter_rows(values_only=True))
    assert ("Электроника / Смартфоны", "phones") in categories
    attributes = {row[0]: row for row in workbook["attributes"].iter_rows(values_only=True)}
    assert attributes["color"][2] == "choice" and "black=Чёрный" in attributes["color"][3]
    rows = list(workbook["catalog"].iter_rows(values_only=True))
    price = rows[0].index("price:base")
    assert all(isinstance(row[price], int | float) for row in rows[1:] if row[price] is not None)


def test_reference_sheets_create_category_attribute_and_choices_when_allowed(catalog):
    # given: книга, которая сама заводит категорию с slug и атрибут-список со значениями
    data = xlsx_bytes(NEW_ROWS, extra_sheets=REFERENCE_SHEETS)

    # when
    job = import_apply(data, create_missing=True)

    # then
    assert job.status == ImportStatus.DONE, job.errors
    tablets = Category.objects.get(slug="tablets")
    assert tablets.get_parent() == catalog.electronics
    season = Attribute.objects.get(code="season")
    assert sorted(season.choices.values_list("value", "label")) == [("summer", "summer"), ("winter", "Зима")]
    variant = Variant.objects.get(sku="TAB-1")
    assert variant.product.main_category == tablets
    assert variant.attribute_values.get().choice.value == "winter"


def test_reference_category_without_permission_is_a_rejected_row(catalog):
    rows = [["sku", "name", "category", "price:base"], ["TAB-1", "Планшет", "Электроника / Планшеты", "100"]]
    data = xlsx_bytes(rows, extra_sheets={"categories": REFERENCE_SHEETS["categories"]})

    job = import_apply(data)

    assert job.status == ImportStatus.REJECTED
    messages = [error["message"] for error in job.errors]
    assert "лист categories, строка 2: категории «Электроника / Планшеты» нет" in messages[0]
    assert not Category.objects.filter(slug="tablets").exists()
    assert not Variant.objects.filter(sku="TAB-1").exists()


def test_reference_attribute_without_permission_fails_file_with_reason(catalog):
    data = xlsx_bytes(NEW_ROWS, extra_sheets=REFERENCE_SHEETS)

    job = import_apply(data)

    assert job.status == ImportStatus.FAILED
    assert job.error_code == "header_unknown_attribute"
    assert "Лист attributes, строка 2: атрибута «season» нет" in job.error_message
    assert not Attribute.objects.filter(code="season").exists()


def test_applied_import_reindexes_written_products_in_search_after_commit(catalog, django_capture_on_commit_callbacks):
    # given
    rows = [["sku", "name", "category", "price:base"], ["NEW-1", "Новый товар", "Одежда", "10"]]
    job = import_preview(xlsx_bytes(rows))
    services.import_job_confirm(job=job, user=job.user, enqueue=False)

    # when
    with (
        mock.patch("commerce.search.tasks.search_products_reindex.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.import_run(job=ImportJob.objects.get(pk=job.pk), dry_run=False)

    # then
    product = Product.objects.get(name="Новый товар")
    delay.assert_called_once_with([product.pk])


def test_dry_run_enqueues_no_reindex(catalog, django_capture_on_commit_callbacks):
    rows = [["sku", "name", "category", "price:base"], ["NEW-1", "Новый товар", "Одежда", "10"]]

    with (
        mock.patch("commerce.search.tasks.search_products_reindex.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        import_preview(xlsx_bytes(rows))

    delay.assert_not_called()


def test_exchange_tasks_are_routed_to_imports_queue():
    from config.celery import app

    for name in ("exchange.import_validate", "exchange.import_apply", "exchange.export"):
        assert app.amqp.router.route({}, name)["queue"].name == "imports"


@pytest.fixture
def staff_browser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_wagtail_admin_upload_preview_confirm(catalog, staff_browser, django_capture_on_commit_callbacks):
    # given: загрузка файла через страницу админки (пробный прогон в режиме eager)
    rows = [["sku", "price:base"], ["phone-a-1", "77"]]
    with (
        mock.patch("commerce.exchange.tasks.import_validate_task.delay") as validate,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = staff_browser.post(
            "/admin/exchange/upload/",
            {"file": SimpleUploadedFile("prices.xlsx", xlsx_bytes(rows)), "mode": ImportMode.ALL_OR_NOTHING},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/exchange/upload/{job.pk}/"
    validate.assert_called_once_with(job.pk)
    services.import_run(job=job, dry_run=True)

    # when: предпросмотр и подтверждение
    page = staff_browser.get(f"/admin/exchange/upload/{job.pk}/").content.decode()
    with (
        mock.patch("commerce.exchange.tasks.import_apply_task.delay") as apply,
        django_capture_on_commit_callbacks(execute=True),
    ):
        confirmed = staff_browser.post(f"/admin/exchange/upload/{job.pk}/")

    # then
    assert "Подтвердить и применить" in page and "phone-a-1" in page
    assert confirmed.status_code == 302
    apply.assert_called_once_with(job.pk)
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.APPLYING


def test_wagtail_admin_upload_shows_file_error(catalog, staff_browser):
    response = staff_browser.post(
        "/admin/exchange/upload/",
        {"file": SimpleUploadedFile("x.xlsx", b"not a spreadsheet at all\x00"), "mode": ImportMode.ALL_OR_NOTHING},
    )

    assert response.status_code == 400
    assert "двоичный файл" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_wagtail_admin_upload_is_for_staff_only(catalog, client):
    user = UserFactory(is_staff=False)
    client.force_login(user)

    response = client.get("/admin/exchange/upload/")

    assert response.status_code == 302
