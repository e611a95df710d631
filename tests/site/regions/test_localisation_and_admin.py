"""Переводы региональных страниц (ru/en), копирование страниц между регионами, админка и демо-данные."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from regions.models import Region, RegionHomePage
from regions.selectors import page_region
from regions.services import page_copy_to_regions, region_tree_build
from tests.factories.accounts import UserFactory
from tests.site.regions.test_page_trees import add_page, titles

PAGES = "/api/v2/pages/"


@pytest.fixture
def bilingual_tree(regions, english_locale):
    """Дерево с английскими копиями корня и домашних страниц и по одной странице на каждом языке у Казани."""
    region_tree_build(mode="subfolder", base_domain="example.ru")
    kazan_ru = RegionHomePage.objects.get(region__code="kzn", locale__language_code="ru")
    kazan_en = RegionHomePage.objects.get(region__code="kzn", locale=english_locale)
    add_page(kazan_ru, "dostavka", "Доставка по Казани")
    add_page(kazan_en, "delivery", "Delivery in Kazan")
    return {"ru": kazan_ru, "en": kazan_en}


def test_tree_build_creates_english_copies_of_every_home_page(bilingual_tree, english_locale):
    english_homes = RegionHomePage.objects.filter(locale=english_locale)

    assert sorted(home.region.code for home in english_homes) == ["kzn", "msk", "spb"]
    assert bilingual_tree["en"].translation_key == bilingual_tree["ru"].translation_key


def test_pages_api_answers_in_the_accept_language(api_client, bilingual_tree):
    response = api_client.get(PAGES, {"region": "kzn", "child_of": "root"}, HTTP_ACCEPT_LANGUAGE="en")

    assert titles(response) == ["Delivery in Kazan"]


def test_locale_parameter_overrides_accept_language(api_client, bilingual_tree):
    response = api_client.get(PAGES, {"region": "kzn", "child_of": "root", "locale": "ru"}, HTTP_ACCEPT_LANGUAGE="en")

    assert titles(response) == ["Доставка по Казани"]


def test_find_by_path_in_english(api_client, bilingual_tree):
    response = api_client.get(
        "/api/v2/pages/find/", {"html_path": "/delivery/", "region": "kzn", "locale": "en"}, follow=True
    )

    assert response.json()["title"] == "Delivery in Kazan"


def test_unknown_locale_in_the_pages_api_is_a_400(api_client, bilingual_tree):
    response = api_client.get(PAGES, {"locale": "de"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "locale_unknown"


# --- Регион страницы и копирование ------------------------------------------------------------


@pytest.fixture
def moscow_pages(regions):
    region_tree_build(mode="subfolder", base_domain="example.ru")
    homes = {home.region.code: home for home in RegionHomePage.objects.all()}
    promotions = add_page(homes["msk"], "akcii", "Акции")
    add_page(homes["kzn"], "akcii", "Акции Казани")
    summer = add_page(promotions, "leto", "Летняя акция")
    return {"homes": homes, "promotions": promotions, "summer": summer}


def test_page_region_is_the_region_of_its_home_page(moscow_pages):
    assert page_region(page=moscow_pages["summer"]).code == "msk"
    assert page_region(page=moscow_pages["homes"]["kzn"]).code == "kzn"
    assert page_region(page=Page.get_first_root_node()) is None


def test_copy_to_regions_puts_drafts_at_the_same_place_and_reports_skips(moscow_pages, regions):
    # when
    results = page_copy_to_regions(page=moscow_pages["summer"], regions=[regions["kzn"], regions["spb"]])

    # then: в Казани есть «Акции» — копия там, черновиком; в Петербурге родителя нет — пропуск
    by_region = {result.region.code: result for result in results}
    copy = by_region["kzn"].page
    assert copy.url_path == "/regions/kzn/akcii/leto/"
    assert copy.live is False
    assert page_region(page=copy).code == "kzn"
    assert by_region["spb"].page is None
    assert "/akcii/" in by_region["spb"].skipped_reason


def test_copy_does_not_overwrite_an_existing_region_page(moscow_pages, regions):
    results = page_copy_to_regions(page=moscow_pages["promotions"], regions=[regions["kzn"]])

    assert results[0].page is None
    assert Page.objects.filter(url_path="/regions/kzn/akcii/").count() == 1


def test_home_page_itself_cannot_be_copied(moscow_pages, regions):
    with pytest.raises(ValueError):
        page_copy_to_regions(page=moscow_pages["homes"]["msk"], regions=[regions["kzn"]])


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_editor_copies_a_page_from_the_admin(admin_client, moscow_pages, regions):
    url = reverse("regions_page_copy", args=[moscow_pages["summer"].pk])

    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Москва" in page.content.decode()

    response = admin_client.post(url, {"regions": [regions["kzn"].pk]})

    assert response.status_code == 302
    assert Page.objects.filter(url_path="/regions/kzn/akcii/leto/").exists()


def test_editor_sees_the_region_in_the_page_actions(admin_client, moscow_pages):
    response = admin_client.get(reverse("wagtailadmin_explore", args=[moscow_pages["promotions"].pk]))

    assert response.status_code == 200
    assert "Регион «Москва»" in response.content.decode()


def test_regions_section_in_wagtail_admin_lists_and_creates_regions(admin_client, regions):
    listing = admin_client.get("/admin/regions/")
    assert listing.status_code == 200
    assert "Казань" in listing.content.decode()

    response = admin_client.post(
        "/admin/regions/new/",
        {
            "code": "ekb",
            "name": "Екатеринбург",
            "is_active": "on",
            "currency": "RUB",
            "time_zone": "Asia/Yekaterinburg",
            "phone": "",
            "subfolder": "ekb",
            "geoip_codes": "ru-sve",
            "sort_order": "40",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Region.objects.get(code="ekb").geoip_codes == "RU-SVE"


def test_regions_in_django_admin(admin_client, regions):
    assert admin_client.get("/django-admin/regions/region/").status_code == 200


# --- Демо-данные ------------------------------------------------------------------------------


def test_seed_demo_creates_regions_and_their_trees(db):
    output = io.StringIO()

    call_command("seed_demo", stdout=output)
    call_command("seed_demo", stdout=output)

    assert list(Region.objects.values_list("code", flat=True)) == ["msk", "spb", "kzn"]
    assert RegionHomePage.objects.count() == 6  # три региона × ru, en
    assert Region.objects.get(is_default=True).code == "msk"
