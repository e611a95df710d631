"""Права сотрудников: без прав группы служебные эндпоинты и страницы админки закрыты (issue #20, п. 1).

Одной отметки «сотрудник» (is_staff) мало ни для чего: сотрудник без прав получает 403 в едином
формате ошибок API; в админке Wagtail — её стандартный отказ (переход на главную админки с
сообщением «нет прав»: так Wagtail отвечает на PermissionDenied любой своей страницы), в Django
admin — 403. С нужным правом — проходит. Главный сценарий —
сотрудник без прав на цены не может переоценить каталог файлом импорта.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commerce.exchange.models import ExportJob, ImportJob, ImportStatus
from commerce.orders.models import Order
from commerce.orders.status import OrderStatus
from commerce.pricing.models import VariantPrice
from tests.factories.accounts import UserFactory, staff_user_with
from tests.factories.exchange import import_preview, xlsx_bytes
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

IMPORTS = "/api/v1/exchange/imports/"
EXPORTS = "/api/v1/exchange/exports/"
ACCESS_ADMIN = "wagtailadmin.access_admin"


def reprice_file():
    """Файл, который ставит цену 1.00 каждому варианту во всех прайс-листах."""
    rows = [["sku", "price:base", "price:msk"]]
    rows += [[sku, "1.00", "1.00"] for sku in VariantPrice.objects.values_list("variant__sku", flat=True).distinct()]
    return xlsx_bytes(rows)


def upload(client, data):
    return client.post(IMPORTS, {"file": SimpleUploadedFile("prices.xlsx", data)}, format="multipart")


def assert_api_forbidden(response, code="permission_denied"):
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == code


def assert_admin_denied(response):
    """Отказ Wagtail admin: переход на главную админки (wagtail.admin.auth.permission_denied)."""
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def prices():
    return sorted(VariantPrice.objects.values_list("pk", "price"))


# --- сценарий из issue: переоценка каталога файлом ------------------------------------------------


def test_staff_without_permissions_can_neither_import_nor_export_the_catalog(api_client, catalog):
    # given: сотрудник без единого права
    api_client.force_authenticate(staff_user_with())
    before = prices()

    # when
    imported = upload(api_client, reprice_file())
    exported = api_client.post(EXPORTS, {}, format="json")

    # then
    assert_api_forbidden(imported)
    assert_api_forbidden(exported)
    assert not ImportJob.objects.exists() and not ExportJob.objects.exists()
    assert prices() == before


def test_import_that_reprices_needs_the_price_permission_to_be_confirmed(
    api_client, catalog, eager_celery, django_capture_on_commit_callbacks
):
    # given: право импортировать есть, права менять цены нет
    importer = staff_user_with("exchange.run_import")
    api_client.force_authenticate(importer)
    before = prices()
    with django_capture_on_commit_callbacks(execute=True):
        job_id = upload(api_client, reprice_file()).json()["id"]
    preview = api_client.get(f"/api/v1/exchange/jobs/{job_id}/").json()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api_client.post(f"/api/v1/exchange/jobs/{job_id}/confirm/")

    # then: пробный прогон назвал нужное право, подтверждение отказано, цены прежние
    assert preview["status"] == "preview"
    assert preview["required_permissions"] == ["pricing.change_variantprice"]
    assert_api_forbidden(confirmed, code="exchange_import_permission_denied")
    assert "менять цены" in confirmed.json()["error"]["message"]
    assert ImportJob.objects.get(pk=job_id).status == ImportStatus.PREVIEW
    assert prices() == before


def test_import_that_reprices_is_applied_for_staff_with_the_price_permission(
    api_client, catalog, eager_celery, django_capture_on_commit_callbacks
):
    # given
    api_client.force_authenticate(staff_user_with("exchange.run_import", "pricing.change_variantprice"))
    with django_capture_on_commit_callbacks(execute=True):
        job_id = upload(api_client, reprice_file()).json()["id"]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api_client.post(f"/api/v1/exchange/jobs/{job_id}/confirm/")

    # then
    assert confirmed.status_code == 202
    assert ImportJob.objects.get(pk=job_id).status == ImportStatus.DONE
    assert set(VariantPrice.objects.values_list("price", flat=True)) == {Decimal("1.00")}


# --- каждый эндпоинт API обмена: без права — 403, с правом — проходит ------------------------------


def exchange_requests(import_job, export_job):
    return [
        ("get", IMPORTS, "exchange.run_import"),
        ("post", IMPORTS, "exchange.run_import"),
        ("get", f"/api/v1/exchange/jobs/{import_job.pk}/", "exchange.view_importjob"),
        ("post", f"/api/v1/exchange/jobs/{import_job.pk}/confirm/", "exchange.run_import"),
        ("get", f"/api/v1/exchange/jobs/{import_job.pk}/rejected/", "exchange.view_importjob"),
        ("get", EXPORTS, "exchange.run_export"),
        ("post", EXPORTS, "exchange.run_export"),
        ("get", f"/api/v1/exchange/exports/{export_job.pk}/", "exchange.view_exportjob"),
        ("get", f"/api/v1/exchange/exports/{export_job.pk}/download/", "exchange.view_exportjob"),
    ]


@pytest.mark.parametrize("index", range(9))
def test_every_exchange_endpoint_refuses_staff_without_permission(api_client, catalog, index):
    # given: чужие задания (их автор — суперпользователь)
    owner = UserFactory(is_staff=True, is_superuser=True)
    import_job = import_preview(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "5"]]), user=owner)
    export_job = ExportJob.objects.create(user=owner)
    method, url, permission = exchange_requests(import_job, export_job)[index]
    api_client.force_authenticate(staff_user_with())

    # when
    refused = getattr(api_client, method)(url)
    api_client.force_authenticate(staff_user_with(permission))
    allowed = getattr(api_client, method)(url)

    # then: без права — 403; с правом — дальше проверки прав (200/202, 400 без файла, 404/409 по состоянию)
    assert_api_forbidden(refused)
    assert allowed.status_code != 403 or allowed.json()["error"]["code"] == "exchange_import_permission_denied"


def test_exchange_api_refuses_customers_even_with_permissions(api_client, catalog):
    customer = staff_user_with("exchange.run_import", "exchange.run_export", is_staff=False)
    api_client.force_authenticate(customer)

    assert_api_forbidden(api_client.get(IMPORTS))
    assert_api_forbidden(api_client.post(EXPORTS, {}, format="json"))


# --- страницы админки: без права — 403, с правом — открываются -------------------------------------


def login(client, *permissions):
    user = staff_user_with(ACCESS_ADMIN, *permissions)
    client.force_login(user)
    return user


def test_admin_import_upload_page_needs_run_import(client, catalog):
    login(client)
    assert_admin_denied(client.get("/admin/exchange/upload/"))

    login(client, "exchange.run_import")
    assert client.get("/admin/exchange/upload/").status_code == 200


def test_admin_import_confirm_refuses_a_reprice_without_the_price_permission(client, catalog):
    # given: свой проверенный импорт, который меняет цены
    user = login(client, "exchange.run_import")
    job = import_preview(reprice_file(), user=user)
    before = prices()

    # when
    page = client.get(f"/admin/exchange/upload/{job.pk}/")
    confirmed = client.post(f"/admin/exchange/upload/{job.pk}/")

    # then
    assert page.status_code == 200
    assert "Подтвердить и применить" not in page.content.decode()
    assert "менять цены" in page.content.decode()
    assert_admin_denied(confirmed)
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.PREVIEW
    assert prices() == before


def test_admin_import_review_of_someone_elses_job_is_not_found(client, catalog):
    owner = UserFactory(is_staff=True, is_superuser=True)
    job = import_preview(reprice_file(), user=owner)
    login(client, "exchange.run_import")

    assert client.get(f"/admin/exchange/upload/{job.pk}/").status_code == 404
    assert client.post(f"/admin/exchange/upload/{job.pk}/").status_code == 404
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.PREVIEW


@pytest.mark.parametrize("url", ["/admin/exchange/imports/", "/admin/exchange/exports/"])
def test_admin_exchange_journals_need_the_view_permission(client, catalog, url):
    login(client, "exchange.run_import", "exchange.run_export")
    refused = client.get(url)

    login(client, "exchange.view_importjob", "exchange.view_exportjob")
    allowed = client.get(url)

    assert_admin_denied(refused)
    assert allowed.status_code == 200


@pytest.mark.parametrize("url", ["/admin/exchange/imports/new/", "/admin/exchange/exports/new/"])
def test_admin_exchange_journals_are_read_only_even_with_every_permission(client, catalog, url):
    login(
        client,
        *(f"exchange.{action}_{model}" for model in ("importjob", "exportjob") for action in ("add", "change", "view")),
    )

    assert_admin_denied(client.get(url))


def test_admin_order_status_change_needs_change_order_status(client, catalog):
    # given: право править заказ (контакты) есть, права менять статус нет
    order = OrderFactory(region=catalog.msk, status=OrderStatus.NEW)
    url = reverse("orders_order_status", args=[order.pk])
    login(client, "orders.view_order", "orders.change_order")

    # when
    page = client.get(url)
    refused = client.post(url, {"to_status": "cancelled", "comment": ""})
    login(client, "orders.view_order", "orders.change_order_status")
    allowed = client.post(url, {"to_status": "cancelled", "comment": ""})

    # then
    assert page.status_code == 200 and "Сменить статус" not in page.content.decode()
    assert_admin_denied(refused)
    assert allowed.status_code == 302 and allowed["Location"] == url
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_admin_order_status_page_is_closed_without_order_permissions(client, catalog):
    order = OrderFactory(region=catalog.msk)
    login(client)

    assert_admin_denied(client.get(reverse("orders_order_status", args=[order.pk])))


@pytest.mark.parametrize("slug", ["search-queries", "search-zero-results", "popular-products", "popular-categories"])
def test_search_reports_need_view_search_analytics(client, catalog, slug):
    # Права просмотра самих таблиц агрегатов мало: отчёты — отдельное право.
    login(client, "search.view_searchquerydaily", "search.view_productdaily", "search.view_categorydaily")
    refused = client.get(f"/admin/reports/{slug}/")

    login(client, "search.view_search_analytics")
    allowed = client.get(f"/admin/reports/{slug}/")

    assert_admin_denied(refused)
    assert allowed.status_code == 200


def test_search_report_menu_is_hidden_without_view_search_analytics(client, catalog):
    login(client)
    hidden = client.get(reverse("wagtailadmin_home")).content.decode()
    login(client, "search.view_search_analytics")
    shown = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "/admin/reports/search-queries/" not in hidden
    assert "/admin/reports/search-queries/" in shown


def test_django_admin_order_export_needs_view_order(client, catalog):
    OrderFactory(region=catalog.msk, contact_name="Мария")
    url = "/django-admin/orders/order/export/"
    client.force_login(staff_user_with())
    refused = client.get(url)

    client.force_login(staff_user_with("orders.view_order"))
    allowed = client.get(url)

    assert refused.status_code == 403
    assert allowed.status_code == 200


def test_payment_refund_page_needs_refund_permission(client, catalog):
    from commerce.payments.models import Payment

    order = OrderFactory(region=catalog.msk)
    payment = Payment.objects.create(
        order=order,
        provider="test",
        amount=Decimal("100.00"),
        currency="RUB",
        status="succeeded",
        idempotence_key="k-1",
    )
    url = reverse("payments_payment_refund", args=[payment.pk])
    login(client, "payments.view_payment")
    refused = client.get(url)

    login(client, "payments.view_payment", "payments.refund_payment")
    allowed = client.get(url)

    assert_admin_denied(refused)
    assert allowed.status_code == 200


# --- готовые группы: каждая открывает свои разделы админки и только их -----------------------------

ADMIN_SECTIONS = {
    "orders": "/admin/snippets/orders/order/",
    "orders_export": "/admin/snippets/orders/order/?export=csv",
    "payments": "/admin/payments/payment/",
    "users": "/admin/users/",
    "prices": "/admin/snippets/pricing/pricelist/",
    "variants": "/admin/snippets/catalog/variant/",
    "import": "/admin/exchange/upload/",
    "search_reports": "/admin/reports/search-queries/",
    "images": "/admin/images/",
    "blog_authors": "/admin/snippets/blog/blogauthor/",
}
ROLE_SECTIONS = {
    "Контент-редактор": {"images", "blog_authors"},
    # Варианты — только просмотр: менеджер находит товар по артикулу, но не правит его.
    "Менеджер заказов": {"orders", "orders_export", "payments", "users", "variants"},
    "Товаровед": {"prices", "variants", "import", "search_reports", "images"},
    "Администратор": set(ADMIN_SECTIONS),
}


@pytest.mark.parametrize("role", list(ROLE_SECTIONS))
def test_shipped_roles_open_only_their_admin_sections(client, catalog, role):
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)

    opened = {name for name, url in ADMIN_SECTIONS.items() if client.get(url).status_code == 200}

    assert opened == ROLE_SECTIONS[role]
