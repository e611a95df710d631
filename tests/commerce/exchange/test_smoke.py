from decimal import Decimal

from commerce.catalog.models import Product, Variant
from tests.factories.exchange import import_apply, xlsx_bytes


def test_smoke(catalog, header):
    data = xlsx_bytes(
        [
            header,
            [
                "NB-1",
                "4600000000015",
                "16 ГБ",
                "nb-one",
                "Ноутбук Один",
                "Электроника / Ноутбуки",
                "Acme",
                "<p>x</p>",
                "black",
                "12,5",
                "20",
                3,
            ],
            [
                "NB-2",
                None,
                "32 ГБ",
                "nb-one",
                "Ноутбук Один",
                "Электроника / Ноутбуки",
                "Acme",
                "<p>x</p>",
                "white",
                "1 500",
                None,
                0,
            ],
        ]
    )
    job = import_apply(data)
    print(job.status, job.errors, job.error_message, job.rows_created, job.rows_rejected)
    assert job.status == "done"
    assert Variant.objects.get(sku="NB-1").prices.get().price == Decimal("12.50")
    assert Product.objects.get(slug="nb-one").variants.count() == 2
