"""Деревья страниц регионов в режимах подпапок и поддоменов: сайты, запасные страницы, Wagtail API v2."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from regions.models import RegionHomePage, RegionsRootPage
from regions.services import region_tree_build

PAGES = "/api/v2/pages/"
FIND = "/api/v2/pages/find/"


def add_page(parent, slug, title):
    page = Page(title=title, slug=slug)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def tree(regions):
    """Дерево регионов: у Москвы (по умолчанию) общие страницы, у Казани своя доставка и своя страница."""
    root = region_tree_build(mode="subfolder", base_domain="example.ru")
    homes = {home.region.code: home for home in RegionHomePage.objects.select_related("region")}
    pages = {
        "msk/dostavka": add_page(homes["msk"], "dostavka", "Доставка по Москве"),
        "msk/o-nas": add_page(homes["msk"], "o-nas", "О нас"),
    }
    pages["msk/akcii"] = add_page(homes["msk"], "akcii", "Акции")
    pages["msk/akcii/leto"] = add_page(pages["msk/akcii"], "leto", "Летняя акция")
    pages["kzn/dostavka"] = add_page(homes["kzn"], "dostavka", "Доставка по Казани")
    pages["kzn/tolko-kazan"] = add_page(homes["kzn"], "tolko-kazan", "Только в Казани")
    return {"root": root, "homes": homes, "pages": pages}


@pytest.fixture
def subdomain_mode(tree, settings):
    settings.REGIONS_TREE_MODE = "subdomain"
    settings.REGIONS_BASE_DOMAIN = "example.ru"
    # /find/ перенаправляет на страницу по id по адресу WAGTAILAPI_BASE_URL; `make` задаёт его
    # через MEGASHOP_HOST, поэтому тест фиксирует адрес сам, а не берёт из окружения.
    settings.WAGTAILAPI_BASE_URL = "http://localhost:8000"
    settings.ALLOWED_HOSTS = [".example.ru", "testserver", "localhost"]
    region_tree_build(mode="subdomain", base_domain="example.ru")
    return tree


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


def found_title(api_client, path, **extra):
    response = api_client.get(FIND, {"html_path": path, **extra.pop("params", {})}, follow=True, **extra)
    if response.status_code != 200:
        return response.status_code
    return response.json()["title"]


# --- Постройка деревьев и сайтов ---------------------------------------------------------------


def test_subfolder_mode_has_one_site_rooted_at_the_regions_root(tree):
    site = Site.objects.get()

    assert (site.hostname, site.is_default_site, site.root_page_id) == ("example.ru", True, tree["root"].pk)
    assert sorted(home.slug for home in tree["homes"].values()) == ["kzn", "msk", "spb"]
    assert tree["pages"]["kzn/dostavka"].url == "/kzn/dostavka/"


def test_subdomain_mode_has_a_site_per_region_and_the_default_region_is_the_default_site(subdomain_mode):
    sites = {site.hostname: site for site in Site.objects.all()}

    assert set(sites) == {"msk.example.ru", "spb.example.ru", "kzn.example.ru"}
    assert sites["kzn.example.ru"].root_page_id == subdomain_mode["homes"]["kzn"].pk
    assert [host for host, site in sites.items() if site.is_default_site] == ["msk.example.ru"]
    assert subdomain_mode["pages"]["kzn/dostavka"].get_url() == "http://kzn.example.ru/dostavka/"


def test_switching_modes_back_and_forth_keeps_every_page(tree):
    # given
    pages_before = set(Page.objects.values_list("pk", "url_path"))

    # when
    region_tree_build(mode="subdomain", base_domain="example.ru")
    region_tree_build(mode="subfolder", base_domain="example.ru")

    # then
    assert set(Page.objects.values_list("pk", "url_path")) == pages_before
    assert Site.objects.get().root_page_id == tree["root"].pk


def test_rebuilding_is_idempotent(tree):
    state = (list(Page.objects.values_list("pk", "path")), list(Site.objects.values_list("pk", "hostname")))

    region_tree_build(mode="subfolder", base_domain="example.ru")

    assert (list(Page.objects.values_list("pk", "path")), list(Site.objects.values_list("pk", "hostname"))) == state


def test_new_region_gets_its_home_page_on_rebuild(tree):
    from tests.factories.regions import RegionFactory

    RegionFactory(code="ekb", name="Екатеринбург", subfolder="ekb")

    region_tree_build(mode="subfolder", base_domain="example.ru")

    assert RegionHomePage.objects.get(region__code="ekb").url_path == "/regions/ekb/"


def test_changed_subfolder_renames_the_home_page_and_its_descendants(tree):
    tree["homes"]["kzn"].region.subfolder = "kazan"
    tree["homes"]["kzn"].region.save()

    region_tree_build(mode="subfolder", base_domain="example.ru")

    tree["pages"]["kzn/dostavka"].refresh_from_db()
    assert tree["pages"]["kzn/dostavka"].url_path == "/regions/kazan/dostavka/"


def test_management_command_builds_the_configured_mode(regions, settings):
    settings.REGIONS_BASE_DOMAIN = "example.ru"
    output = io.StringIO()

    call_command("regions_build_tree", "--mode", "subdomain", stdout=output)

    assert Site.objects.count() == 3
    assert RegionsRootPage.objects.count() == 1
    assert "kzn.example.ru" in output.getvalue()


# --- Маршрутизация страниц ---------------------------------------------------------------------


def test_root_routes_an_unprefixed_path_into_the_request_region_with_fallback(tree):
    request = RequestFactory().get("/")
    request.region = tree["homes"]["kzn"].region

    assert tree["root"].route(request, ["dostavka"]).page.pk == tree["pages"]["kzn/dostavka"].pk
    assert tree["root"].route(request, ["o-nas"]).page.pk == tree["pages"]["msk/o-nas"].pk


def test_region_page_is_not_visible_from_another_region(tree):
    from django.http import Http404

    request = RequestFactory().get("/")
    request.region = tree["homes"]["spb"].region

    with pytest.raises(Http404):
        tree["root"].route(request, ["tolko-kazan"])


# --- Wagtail API v2: режим подпапок ------------------------------------------------------------


def test_listing_for_a_region_merges_its_pages_with_default_region_fallbacks(api_client, tree):
    response = api_client.get(PAGES, {"region": "kzn"})

    assert titles(response) == [
        "Акции",
        "Доставка по Казани",
        "Казань",
        "Летняя акция",
        "О нас",
        "Только в Казани",
    ]


def test_listing_for_the_default_region_has_no_other_region_pages(api_client, tree):
    assert titles(api_client.get(PAGES)) == ["Акции", "Доставка по Москве", "Летняя акция", "Москва", "О нас"]


def test_region_without_own_pages_sees_default_region_pages(api_client, tree):
    titles_for_spb = titles(api_client.get(PAGES, HTTP_X_REGION="spb"))

    assert titles_for_spb == ["Акции", "Доставка по Москве", "Летняя акция", "О нас", "Санкт-Петербург"]


def test_child_of_root_gives_the_region_menu(api_client, tree):
    response = api_client.get(PAGES, {"region": "kzn", "child_of": "root"})

    assert titles(response) == ["Акции", "Доставка по Казани", "О нас", "Только в Казани"]


def test_find_by_path_prefers_the_region_page(api_client, tree):
    assert found_title(api_client, "/dostavka/", params={"region": "kzn"}) == "Доставка по Казани"


def test_find_by_path_falls_back_to_the_default_region(api_client, tree):
    assert found_title(api_client, "/akcii/leto/", params={"region": "kzn"}) == "Летняя акция"


def test_find_region_only_page_from_another_region_is_404(api_client, tree):
    response = api_client.get(FIND, {"html_path": "/tolko-kazan/", "region": "spb"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_find_by_path_with_region_subfolder_in_html_path(api_client, tree):
    assert found_title(api_client, "/kzn/tolko-kazan/") == "Только в Казани"


def test_find_through_the_region_subfolder_of_the_api_url(api_client, tree):
    response = api_client.get(f"/kzn{FIND}", {"html_path": "/dostavka/"})

    assert response.status_code == 302
    assert api_client.get(response["Location"]).json()["title"] == "Доставка по Казани"


def test_unknown_region_in_the_pages_api_is_a_400(api_client, tree):
    response = api_client.get(PAGES, {"region": "nsk"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "region_unknown"


def test_unpublished_region_page_falls_back_to_the_default_region(api_client, tree):
    tree["pages"]["kzn/dostavka"].unpublish()

    assert found_title(api_client, "/dostavka/", params={"region": "kzn"}) == "Доставка по Москве"


def test_pages_listing_query_count_does_not_grow_with_pages(api_client, tree):
    def queries_for_listing():
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(PAGES, {"region": "kzn"}).status_code == 200
        return len(captured)

    # given
    queries_for_listing()
    before = queries_for_listing()

    # when
    for number in range(5):
        add_page(tree["homes"]["kzn"], f"novost-{number}", f"Новость {number}")
        add_page(tree["homes"]["msk"], f"stranica-{number}", f"Страница {number}")

    # then
    assert queries_for_listing() == before


# --- Wagtail API v2: режим поддоменов ----------------------------------------------------------


def test_subdomain_listing_answers_for_the_host_region(api_client, subdomain_mode):
    response = api_client.get(PAGES, HTTP_HOST="kzn.example.ru")

    assert "Доставка по Казани" in titles(response)
    assert "Доставка по Москве" not in titles(response)


def test_subdomain_find_falls_back_to_the_default_region(api_client, subdomain_mode):
    assert found_title(api_client, "/o-nas/", HTTP_HOST="kzn.example.ru") == "О нас"
    assert found_title(api_client, "/dostavka/", HTTP_HOST="kzn.example.ru") == "Доставка по Казани"
    assert found_title(api_client, "/dostavka/", HTTP_HOST="spb.example.ru") == "Доставка по Москве"


def test_subdomain_region_only_page_is_hidden_elsewhere(api_client, subdomain_mode):
    assert found_title(api_client, "/tolko-kazan/", HTTP_HOST="spb.example.ru") == 404
    assert found_title(api_client, "/tolko-kazan/", HTTP_HOST="kzn.example.ru") == "Только в Казани"


def test_subdomain_api_host_can_still_name_the_region_explicitly(api_client, subdomain_mode):
    response = api_client.get(PAGES, {"region": "kzn", "child_of": "root"}, HTTP_HOST="api.example.ru")

    assert titles(response) == ["Акции", "Доставка по Казани", "О нас", "Только в Казани"]


def test_subdomain_html_url_points_at_the_region_host(api_client, subdomain_mode):
    response = api_client.get(PAGES, {"fields": "html_url"}, HTTP_HOST="kzn.example.ru")

    urls = {item["title"]: item["meta"]["html_url"] for item in response.json()["items"]}
    assert urls["Доставка по Казани"] == "http://kzn.example.ru/dostavka/"
