"""Товары, варианты, импорт и экспорт в API сотрудников: через сервисы каталога и обмена, с журналом."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commerce.catalog.models import Product
from commerce.exchange.models import ExportJob, ImportJob
from staff import roles
from staffapi.models import StaffAction
from tests.factories.exchange import xlsx_bytes
from tests.site.staffapi.conftest import BASE, session_client, staff_in_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods_client():
    return session_client(staff_in_group(roles.MERCHANDISER))


def test_product_table_searches_by_name_or_sku_and_filters_by_category(catalog, goods_client):
    by_name = goods_client.get(f"{BASE}products/", {"q": "телефон"}).json()["results"]
    by_sku = goods_client.get(f"{BASE}products/", {"q": "laptop-c-1"}).json()["results"]
    phones = goods_client.get(f"{BASE}products/", {"category": "electronics"}).json()["results"]

    assert {row["slug"] for row in by_name} == {"phone-a", "phone-b"}
    assert [row["slug"] for row in by_sku] == ["laptop-c"]
    assert {row["slug"] for row in phones} == {"phone-a", "phone-b", "laptop-c"}
    assert by_sku[0]["variants_count"] == 1


def test_product_list_runs_constant_queries(catalog, goods_client, django_assert_max_num_queries):
    for number in range(10):
        catalog.product(f"Вещь {number}", f"thing-{number}", catalog.clothes, None, "10")
    goods_client.get(f"{BASE}products/?page_size=2")

    with django_assert_max_num_queries(10) as small:
        goods_client.get(f"{BASE}products/?page_size=2")
    with django_assert_max_num_queries(10) as large:
        goods_client.get(f"{BASE}products/?page_size=14")

    assert len(large.captured_queries) == len(small.captured_queries)


def test_product_create_and_patch_go_through_model_checks_and_audit(catalog, goods_client):
    created = goods_client.post(
        f"{BASE}products/",
        {"name": "Чайник", "slug": "kettle", "main_category": "electronics", "sku": "KETTLE-1"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    product_id = created.json()["id"]
    assert [variant["sku"] for variant in created.json()["variants"]] == ["KETTLE-1"]

    duplicate = goods_client.post(
        f"{BASE}products/",
        {"name": "Чайник 2", "slug": "kettle", "main_category": "electronics", "sku": "KETTLE-2"},
        format="json",
    )
    patched = goods_client.patch(
        f"{BASE}products/{product_id}/", {"name": "Чайник 2 л", "is_active": False}, format="json"
    )
    variant = goods_client.patch(
        f"{BASE}variants/{created.json()['variants'][0]['id']}/", {"name": "белый"}, format="json"
    )

    assert duplicate.status_code == 400
    assert duplicate.json()["error"]["fields"][0]["path"] == "slug"
    assert patched.status_code == 200
    assert Product.objects.get(pk=product_id).name == "Чайник 2 л"
    assert variant.json()["name"] == "белый"
    update = StaffAction.objects.get(action="product.update")
    assert update.before["name"] == "Чайник" and update.after["name"] == "Чайник 2 л"
    assert StaffAction.objects.filter(action__in=["product.create", "variant.update"]).count() == 2


def test_import_upload_and_export_order_are_audited(catalog, goods_client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = goods_client.post(
        f"{BASE}imports/",
        {"file": SimpleUploadedFile("prices.xlsx", xlsx_bytes([["sku", "price:base"], ["laptop-c-1", "1.00"]]))},
        format="multipart",
    )
    export = goods_client.post(f"{BASE}exports/", {"file_format": "csv"}, format="json")

    assert upload.status_code == 202, upload.json()
    assert export.status_code == 202, export.json()
    job = ImportJob.objects.get()
    assert goods_client.get(f"{BASE}imports/{job.pk}/").json()["id"] == job.pk
    assert StaffAction.objects.get(action="import.upload").object_id == str(job.pk)
    assert StaffAction.objects.get(action="export.create").object_id == str(ExportJob.objects.get().pk)


def test_empty_patch_changes_nothing_and_writes_no_audit(catalog, goods_client):
    product = goods_client.patch(f"{BASE}products/{catalog.laptop.pk}/", {}, format="json")
    variant = goods_client.patch(f"{BASE}variants/{catalog.laptop.variant.pk}/", {}, format="json")

    assert product.status_code == 200 and variant.status_code == 200
    assert not StaffAction.objects.exists()
