"""Slug каталога при нескольких подключениях: МойСклад и ERPNext, два подключения к одному аккаунту.

Настоящие коннекторы против фейков на 127.0.0.1: одноимённые группы и товары разных подключений и
одинаковые внешние id (одна «категория без групп» у всех, один аккаунт МоегоСклада дважды) не должны
ронять загрузку на уникальном slug, а повторная загрузка не должна менять выданные slug.
"""

import re

import pytest

from commerce.catalog.models import Category, Product
from integrations.core.models import ExternalId, ExternalKind, SyncState
from integrations.core.sync import sync_run
from tests.integrations.erpnext.conftest import erp_connection_create
from tests.integrations.erpnext.fake_frappe import FakeFrappe
from tests.integrations.moysklad.conftest import ms_connection_create
from tests.integrations.moysklad.helpers import fake_serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def moysklad(httpserver):
    """Фейковый МойСклад на пути /api/remap/1.2 сервера теста (другие пути — другим фейкам теста)."""
    return fake_serve(httpserver)


def category_slugs(connection):
    """{внешний id группы: slug категории} подключения."""
    mapped = dict(
        ExternalId.objects.filter(connection=connection, kind=ExternalKind.CATEGORY).values_list(
            "object_id", "external_id"
        )
    )
    return {
        mapped[str(pk)]: slug for pk, slug in Category.objects.filter(pk__in=list(mapped)).values_list("pk", "slug")
    }


def assert_synced(connection):
    run = sync_run(connection=connection, full=True)
    assert run.state == SyncState.OK, run.errors
    return run


def test_two_connections_to_one_moysklad_account_import_side_by_side(shop, moysklad, root_collection):
    # given: в аккаунте две группы «Одежда» (в корне и в «Распродаже») и по кружке в каждой;
    # магазин подключён к этому аккаунту дважды — те же UUID групп и товаров
    clothes = moysklad.folder_add("Одежда")
    sale = moysklad.folder_add("Распродажа")
    sale_clothes = moysklad.folder_add("Одежда", parent=sale)
    for folder in (clothes, sale_clothes):
        moysklad.product_add("Кружка", folder=folder, article="MUG-1", prices={moysklad.retail: 49900})
    first = ms_connection_create(moysklad, code="ms")
    second = ms_connection_create(moysklad, code="ms-copy")

    # when
    assert_synced(first)
    assert_synced(second)

    # then: у каждого подключения свои категории и товары, slug не столкнулись
    assert Category.objects.filter(name="Одежда").count() == 4
    assert Product.objects.filter(name="Кружка").count() == 4
    slugs = [*category_slugs(first).values(), *category_slugs(second).values()]
    assert len(slugs) == len(set(slugs)) == 6
    assert category_slugs(first)[clothes] == "odezhda"

    # and: повторная полная загрузка ничего не создаёт и slug не меняет
    before = category_slugs(second)
    assert assert_synced(second).created == 0
    assert category_slugs(second) == before


def test_two_moysklad_accounts_and_erpnext_share_names_and_the_category_for_goods_without_groups(
    shop, moysklad, httpserver, root_collection
):
    # given: в первом аккаунте МоегоСклада — своя группа «Без категории» и кружка без группы (она
    # попадает в общую для всех подключений категорию товаров без групп, внешний id «__fallback__»);
    # во втором аккаунте — тоже кружка без группы; в ERPNext — группа «Без категории» с чехлом
    second_account = fake_serve(httpserver, prefix="/second", id_seed=1)
    erpnext = FakeFrappe()
    httpserver.expect_request(re.compile(".*")).respond_with_handler(erpnext)
    own = moysklad.folder_add("Без категории")
    moysklad.product_add("Блокнот", folder=own, article="NOTE-1", prices={moysklad.retail: 19900})
    for account in (moysklad, second_account):
        account.product_add("Кружка", article="MUG-1", prices={account.retail: 49900})
    erpnext.group_add("Без категории")
    erpnext.item_add("CASE-1", name="Чехол", group="Без категории")
    erpnext.price_add("CASE-1", 990)
    first = ms_connection_create(moysklad, code="ms")
    second = ms_connection_create(second_account, code="ms-2")
    erp = erp_connection_create(erpnext, httpserver)

    # when
    for connection in (first, second, erp):
        assert_synced(connection)

    # then: четыре категории «Без категории» с разными slug; кружки — каждая в категории своего подключения
    assert Category.objects.filter(name="Без категории").count() == 4
    slugs = [slug for connection in (first, second, erp) for slug in category_slugs(connection).values()]
    assert len(slugs) == len(set(slugs)) == 4
    mugs = Product.objects.filter(name="Кружка").select_related("main_category")
    assert sorted(mug.main_category.slug for mug in mugs) == sorted(
        category_slugs(connection)["__fallback__"] for connection in (first, second)
    )
    assert Product.objects.get(name="Чехол").main_category.slug == category_slugs(erp)["Без категории"]
