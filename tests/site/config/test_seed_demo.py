"""seed_demo: идемпотентное наполнение демонстрационными данными."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=False)


def _snapshot():
    """Снять содержимое всех таблиц проекта (модели и их строки) для сравнения."""
    state = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = list(model.objects.order_by("pk").values())
        for row in rows:
            # Отметки времени входа и изменения не являются «данными» демо.
            for volatile in ("last_login", "latest_revision_created_at", "last_published_at"):
                row.pop(volatile, None)
        state[model._meta.label] = rows
    return state


def test_seed_demo_twice_gives_the_same_data(settings):
    settings.MEGASHOP_SUPERUSER_PASSWORD = ""
    first_output = io.StringIO()
    call_command("seed_demo", stdout=first_output)
    after_first = _snapshot()

    second_output = io.StringIO()
    call_command("seed_demo", stdout=second_output)
    after_second = _snapshot()

    assert after_first == after_second
    assert after_first["accounts.User"], "суперпользователь должен быть создан"


def test_seed_demo_prints_generated_password_once(settings):
    from django.contrib.auth import authenticate

    settings.MEGASHOP_SUPERUSER_PASSWORD = ""
    first = io.StringIO()
    call_command("seed_demo", stdout=first)
    line = next(line for line in first.getvalue().splitlines() if line.startswith("Админка:"))
    password = line.split("пароль ", 1)[1].split(".", 1)[0]

    assert authenticate(username="admin", password=password) is not None

    second = io.StringIO()
    call_command("seed_demo", stdout=second)
    assert password not in second.getvalue()
    assert "пароль прежний" in second.getvalue()


def test_seed_demo_takes_superuser_password_from_env_setting(settings):
    from django.contrib.auth import authenticate

    settings.MEGASHOP_SUPERUSER_PASSWORD = "From-Env-Passw0rd"
    output = io.StringIO()

    call_command("seed_demo", stdout=output)

    assert authenticate(username="admin", password="From-Env-Passw0rd") is not None
    assert "From-Env-Passw0rd" not in output.getvalue()


def test_seeded_demo_sells_in_every_region_with_stock_and_online_payment(api_client):
    from commerce.inventory.models import Stock
    from commerce.payments.selectors import provider_codes_for_region
    from regions.models import Region

    # given
    call_command("seed_demo", stdout=io.StringIO())
    regions = list(Region.objects.order_by("code"))
    # then: в каждом регионе есть товар в наличии и оплата тестовым провайдером и при получении
    assert [region.code for region in regions] == ["kzn", "msk", "spb"]
    for region in regions:
        in_stock = Stock.objects.filter(warehouse__region=region, warehouse__is_active=True, quantity__gt=0)
        assert in_stock.exists(), f"в регионе {region.code} нет остатков"
        assert provider_codes_for_region(region_id=region.pk) == ["test", "cash_on_delivery"]
        listing = api_client.get("/api/v1/catalog/products/", {"region": region.code, "in_stock": "true"})
        assert listing.status_code == 200
        assert listing.json()["count"] > 0, f"витрина {region.code} не показывает товаров в наличии"


def test_documented_sample_file_loads_into_the_seeded_demo():
    from pathlib import Path

    from commerce.catalog.models import Variant
    from tests.factories.exchange import import_apply

    # given
    call_command("seed_demo", stdout=io.StringIO())
    sample = Path(__file__).resolve().parents[3] / "docs" / "admin" / "samples" / "catalog-sample.csv"
    # when
    job = import_apply(sample.read_bytes(), name="catalog-sample.csv")
    # then: ни одной отклонённой строки, все варианты образца — в каталоге демо
    assert job.status == "done", (job.status, job.rows_rejected)
    assert job.rows_rejected == 0
    assert set(Variant.objects.filter(sku__in=["ORB15-16", "ORB15-32", "TSH-OVR-M"]).values_list("sku", flat=True)) == {
        "ORB15-16",
        "ORB15-32",
        "TSH-OVR-M",
    }


def test_first_seed_hands_the_new_passwords_to_the_login_block(settings):
    from django.contrib.auth import authenticate

    from config.demo import demo_seed

    # given
    settings.MEGASHOP_SUPERUSER_PASSWORD = ""
    # when
    notes = demo_seed(stdout=io.StringIO())
    again = demo_seed(stdout=io.StringIO())
    # then: пароли, созданные первым наполнением, подходят; второе ничего не создаёт и не знает
    assert authenticate(username="admin", password=notes["admin_password"]) is not None
    assert set(notes["staff_logins"]) == {"editor", "orders", "merch", "manager"}
    assert authenticate(username="merch", password=notes["staff_password"]) is not None
    assert again == {}


def test_repeated_demo_start_skips_seeding_until_the_demo_changes(settings):
    from django.db import connection

    from config.demo import demo_seed_if_changed

    # given
    call_command("seed_demo", stdout=io.StringIO())
    # when
    _notes, seeded_again = demo_seed_if_changed(stdout=io.StringIO())
    settings.MEGASHOP_DEMO_PRODUCTS += 1
    _notes, seeded_after_change = demo_seed_if_changed(stdout=io.StringIO())
    # then: отпечаток хранится в заголовке файла SQLite; на PostgreSQL наполнение идёт всегда
    assert seeded_again is (connection.vendor != "sqlite")
    assert seeded_after_change is True
