"""Журнал обмена в Wagtail admin и Django admin: списки открываются и показывают задания."""

import pytest

from commerce.exchange.progress import progress_set
from tests.factories.accounts import UserFactory
from tests.factories.exchange import import_preview, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_import_jobs_are_listed_in_wagtail_admin(catalog, admin_client_logged):
    job = import_preview(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "5"]]), name="prices.xlsx")

    response = admin_client_logged.get("/admin/exchange/imports/")

    assert response.status_code == 200
    assert "prices.xlsx" in response.content.decode()
    assert job.rows_total == 1


def test_django_admin_shows_live_progress(catalog, admin_client_logged):
    job = import_preview(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "5"]]), name="prices.xlsx")
    job.status = "applying"
    job.save(update_fields=["status"])
    progress_set(kind="import", job_id=job.pk, percent=42.0, rows=420, rows_per_second=1234.5, stage="applying")

    response = admin_client_logged.get("/django-admin/exchange/importjob/")

    assert response.status_code == 200
    assert "42.0% · 420 строк · 1234.5 строк/с" in response.content.decode()
