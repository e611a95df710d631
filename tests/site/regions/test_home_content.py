"""Содержимое главной страницы региона: поля в API, контакты из региона, регион не перенаправить из формы."""

import io

import pytest
from django.core.management import call_command

from regions.demo_home import seed_home_content
from regions.models import RegionHomePage
from regions.services import region_tree_build
from tests.admin.helpers import form_data
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
PAGES = "/api/v2/pages/"


@pytest.fixture
def homes(regions, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    region_tree_build(mode="subfolder", base_domain="example.ru")
    return {home.region.code: home for home in RegionHomePage.objects.select_related("region")}


def test_home_page_content_is_in_the_pages_api(api_client, homes, regions):
    # given: у главной Казани первый экран и баннер, контактов на странице нет
    home = homes["kzn"]
    home.hero_title = "Скидки в Казани"
    home.hero_link_url = "/catalog/"
    home.hero_link_label = "В каталог"
    home.banners = [("banner", {"title": "Самовывоз", "text": "", "image": None, "link_url": "", "link_label": ""})]
    home.body = [("heading", "Почему мы"), ("paragraph", "<p>Быстро.</p>")]
    home.contact_hours = "9–21"
    home.save_revision().publish()

    # when
    data = api_client.get(f"{PAGES}{home.pk}/").json()

    # then
    assert data["region_code"] == "kzn"
    assert data["hero"] == {
        "title": "Скидки в Казани",
        "text": "",
        "image": None,
        "link": {"url": "/catalog/", "label": "В каталог"},
    }
    assert data["banners"][0]["value"]["title"] == "Самовывоз"
    assert data["banners"][0]["value"]["link"] is None
    assert [block["type"] for block in data["body"]] == ["heading", "paragraph"]
    assert data["body"][1]["value"] == "<p>Быстро.</p>"
    # Пустые контакты страницы — из региона.
    kazan = regions["kzn"]
    assert data["contacts"]["address"] == kazan.address
    assert data["contacts"]["phone"] == (str(kazan.phone) if kazan.phone else "")
    assert data["contacts"]["hours"] == "9–21"


def test_home_page_cannot_be_repointed_to_another_region_from_its_form(client, homes, regions):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    home = homes["spb"]
    edit = f"/admin/pages/{home.pk}/edit/"
    page = client.get(edit)
    assert page.status_code == 200
    data = form_data(page)
    # Поля StreamField рисует JavaScript: пустые потоки — как их отправил бы браузер.
    data.update({"banners-count": "0", "body-count": "0"})
    data.update({"region": str(regions["msk"].pk), "hero_title": "Петербург", "action-publish": "action-publish"})

    response = client.post(edit, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    home.refresh_from_db()
    assert (home.region_id, home.hero_title) == (regions["spb"].pk, "Петербург")


def test_demo_fills_empty_home_pages_once_and_keeps_editor_changes(homes):
    seed_home_content(stdout=io.StringIO())
    home = RegionHomePage.objects.get(pk=homes["msk"].pk)
    assert home.hero_title and home.hero_image is not None and len(home.banners) == 2 and home.live

    home.hero_title = "Правка редактора"
    home.save_revision().publish()
    output = io.StringIO()
    seed_home_content(stdout=output)

    home.refresh_from_db()
    assert home.hero_title == "Правка редактора"
    assert "Москва" not in output.getvalue()


def test_seed_demo_gives_every_region_home_page_content(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", stdout=io.StringIO())

    homes = RegionHomePage.objects.filter(locale__language_code="ru")
    assert homes.count() == 3
    assert all(home.hero_title and home.hero_image_id and home.banners and home.body for home in homes)
