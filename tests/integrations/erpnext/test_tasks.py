"""Загрузка по расписанию: задача beat загружает изменения включённых подключений, одна за раз."""

import pytest
from django.core.cache import cache

from commerce.catalog.models import Variant
from integrations.core.models import SyncRun
from integrations.erpnext.tasks import erpnext_sync_due
from tests.integrations.erpnext.conftest import catalog_seed

pytestmark = pytest.mark.django_db


def test_scheduled_task_pulls_changes_of_enabled_connections(erp, fake):
    catalog_seed(fake)

    erpnext_sync_due.delay()

    assert Variant.objects.filter(sku__in=["SH-100-38", "SH-100-39", "CASE-1"]).count() == 3
    assert SyncRun.objects.filter(connection=erp).count() == 1
    assert cache.add(f"integrations:erpnext:sync:{erp.pk}", 1, timeout=5)  # замок отпущен


def test_scheduled_task_skips_connection_while_previous_pull_runs(erp, fake):
    catalog_seed(fake)
    cache.add(f"integrations:erpnext:sync:{erp.pk}", 1, timeout=60)
    try:
        erpnext_sync_due.delay()
    finally:
        cache.delete(f"integrations:erpnext:sync:{erp.pk}")

    assert not SyncRun.objects.filter(connection=erp).exists()
    assert fake.requests == []
