"""Ресурсы django-import-export: формат обмена через API django-import-export."""

import pytest

from commerce.exchange.resources import CatalogResource, VariantResource
from commerce.pricing.models import VariantPrice

pytestmark = pytest.mark.django_db


def test_catalog_resource_round_trip_reports_every_row_unchanged(catalog):
    # given
    resource = CatalogResource()
    dataset = resource.export()

    # when
    result = resource.import_data(dataset, dry_run=True)

    # then
    assert not result.has_errors()
    assert result.totals["skip"] == len(dataset) == 4


def test_catalog_resource_reports_row_errors_and_writes_nothing(catalog):
    resource = CatalogResource()
    dataset = resource.export()
    column = dataset.headers.index("price:base")
    rows = [list(row) for row in dataset]
    rows[1][column] = "12,5О"
    dataset = type(dataset)(*rows, headers=dataset.headers)

    result = resource.import_data(dataset, dry_run=False)

    assert result.totals["error"] == 1
    messages = [str(error.error) for row in result.rows for error in row.errors]
    assert messages == ["строка 3: цена «12,5О» не число"]
    assert VariantPrice.objects.filter(price_list=catalog.base_list).count() == 4


def test_variant_resource_imports_rows_the_default_way(catalog):
    import tablib

    dataset = tablib.Dataset(["NEW-1", "", "XL", "laptop-c"], headers=["sku", "barcode", "name", "slug"])

    result = VariantResource().import_data(dataset, dry_run=False)

    assert not result.has_errors()
    assert catalog.laptop.variants.filter(sku="NEW-1").exists()
