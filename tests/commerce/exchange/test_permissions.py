"""Права обмена: что импорт пишет → какие права нужны, повторная проверка при применении, чьи задания видны."""

from decimal import Decimal

import pytest

from commerce.exchange import services
from commerce.exchange.models import ExportJob, ImportJob, ImportMode, ImportStatus
from commerce.pricing.models import VariantPrice
from tests.factories.accounts import staff_user_with
from tests.factories.exchange import import_preview, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["sku", "price:base"], ["phone-a-1", "1.00"]], ["pricing.change_variantprice"]),
        ([["sku", "stock:msk-1"], ["phone-a-1", "99"]], ["inventory.change_stock"]),
        ([["sku", "variant_name"], ["phone-a-1", "128 ГБ"]], ["catalog.change_variant"]),
        ([["sku", "slug", "name"], ["phone-a-1", "phone-a", "Телефон А Про"]], ["catalog.change_product"]),
        (
            [["sku", "name", "category", "price:base"], ["NEW-1", "Новый", "Одежда", "10"]],
            ["catalog.add_product", "catalog.add_variant", "pricing.change_variantprice"],
        ),
        # Те же цены, что в базе: импорт ничего не меняет и прав на записи не требует.
        ([["sku", "price:base"], ["phone-a-1", "20000"]], []),
    ],
)
def test_dry_run_names_the_permissions_of_what_the_import_would_write(catalog, rows, expected):
    job = import_preview(xlsx_bytes(rows))

    assert job.status == ImportStatus.PREVIEW
    assert job.required_permissions == expected


def test_creating_missing_categories_and_brands_needs_their_add_permissions(catalog):
    rows = [["sku", "name", "category", "brand"], ["NEW-1", "Новый", "Дом / Кухня", "Initech"]]

    job = import_preview(xlsx_bytes(rows), create_missing=True)

    assert {"catalog.add_category", "catalog.add_brand"} <= set(job.required_permissions)


def test_apply_rechecks_permissions_against_what_it_actually_writes(catalog):
    # given: при пробном прогоне файл цен не меняет, подтверждает сотрудник без права на цены
    user = staff_user_with("exchange.run_import")
    job = import_preview(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "20000"]]), user=user)
    services.import_job_confirm(job=job, user=user, enqueue=False)
    # ...а до применения цену поменяли в админке — теперь файл её меняет
    price = VariantPrice.objects.get(variant=catalog.phone_black.variant, price_list=catalog.base_list)
    price.price = Decimal("18000.00")
    price.save()

    # when
    report = services.import_run(job=ImportJob.objects.get(pk=job.pk), dry_run=False)

    # then: ничего не записано, задание провалено с кодом и причиной
    job.refresh_from_db()
    price.refresh_from_db()
    assert report is None
    assert (job.status, job.error_code) == (ImportStatus.FAILED, "exchange_import_permission_denied")
    assert "менять цены" in job.error_message
    assert price.price == Decimal("18000.00")


def test_apply_without_a_confirming_user_writes_nothing(catalog):
    job = import_preview(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "1.00"]]))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING, confirmed_by=None)

    services.import_run(job=ImportJob.objects.get(pk=job.pk), dry_run=False)

    assert ImportJob.objects.get(pk=job.pk).error_code == "exchange_import_permission_denied"
    assert VariantPrice.objects.get(variant=catalog.phone_black.variant, price_list=catalog.base_list).price == 20000


def test_confirming_someone_elses_import_needs_change_importjob(catalog):
    owner = staff_user_with("exchange.run_import", "pricing.change_variantprice")
    job = import_preview(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "1.00"]]), user=owner)
    colleague = staff_user_with("exchange.run_import", "pricing.change_variantprice", "exchange.view_importjob")
    lead = staff_user_with("exchange.run_import", "pricing.change_variantprice", "exchange.change_importjob")

    with pytest.raises(services.ImportPermissionDenied) as refused:
        services.import_job_confirm(job=job, user=colleague, enqueue=False)
    confirmed = services.import_job_confirm(job=job, user=lead, enqueue=False)

    assert refused.value.missing == ["exchange.change_importjob"]
    assert (confirmed.status, confirmed.confirmed_by) == (ImportStatus.APPLYING, lead)


def test_staff_see_only_their_own_imports_unless_they_may_view_the_journal(api_client, catalog):
    # given: два импорта двух сотрудников
    alice = staff_user_with("exchange.run_import")
    bob = staff_user_with("exchange.run_import")
    auditor = staff_user_with("exchange.view_importjob")
    rows = xlsx_bytes([["sku", "price:base"], ["phone-a-1", "5"]])
    own = import_preview(rows, user=alice, mode=ImportMode.SKIP_INVALID)
    other = import_preview(rows, user=bob)

    # when
    api_client.force_authenticate(alice)
    alice_list = api_client.get("/api/v1/exchange/imports/").json()
    alice_other = api_client.get(f"/api/v1/exchange/jobs/{other.pk}/")
    alice_confirm_other = api_client.post(f"/api/v1/exchange/jobs/{other.pk}/confirm/")
    api_client.force_authenticate(auditor)
    auditor_list = api_client.get("/api/v1/exchange/imports/").json()
    auditor_other = api_client.get(f"/api/v1/exchange/jobs/{other.pk}/")

    # then: чужое задание для Алисы не существует; аудитор видит все
    assert [job["id"] for job in alice_list["results"]] == [own.pk]
    assert alice_other.status_code == 404 and alice_other.json()["error"]["code"] == "exchange_job_not_found"
    assert alice_confirm_other.status_code == 404
    assert ImportJob.objects.get(pk=other.pk).status == ImportStatus.PREVIEW
    assert {job["id"] for job in auditor_list["results"]} == {own.pk, other.pk}
    assert auditor_other.status_code == 200


def test_staff_see_only_their_own_exports_unless_they_may_view_the_journal(api_client, catalog):
    alice = staff_user_with("exchange.run_export")
    bob = staff_user_with("exchange.run_export")
    auditor = staff_user_with("exchange.view_exportjob")
    own = ExportJob.objects.create(user=alice)
    other = ExportJob.objects.create(user=bob)

    api_client.force_authenticate(alice)
    alice_list = api_client.get("/api/v1/exchange/exports/").json()
    alice_other = api_client.get(f"/api/v1/exchange/exports/{other.pk}/download/")
    api_client.force_authenticate(auditor)
    auditor_other = api_client.get(f"/api/v1/exchange/exports/{other.pk}/")

    assert [job["id"] for job in alice_list["results"]] == [own.pk]
    assert alice_other.status_code == 404
    assert auditor_other.status_code == 200
