"""API /api/v1/regions/: список, текущий регион, выбор посетителя, язык."""

CHOOSE = "/api/v1/regions/choose"


def test_list_gives_active_regions_in_order(api_client, regions):
    # given
    regions["spb"].is_active = False
    regions["spb"].save()

    # when
    response = api_client.get("/api/v1/regions/")

    # then
    assert response.status_code == 200
    assert [item["code"] for item in response.json()["results"]] == ["msk", "kzn"]


def test_region_fields_for_the_storefront(api_client, regions, settings):
    settings.REGIONS_TREE_MODE = "subfolder"
    regions["msk"].phone = "+74951234567"
    regions["msk"].save()

    item = api_client.get("/api/v1/regions/").json()["results"][0]

    assert item == {
        "code": "msk",
        "name": "Москва",
        "is_default": True,
        "currency": "RUB",
        "time_zone": "Europe/Moscow",
        "phone": "+74951234567",
        "address": "",
        "hostname": None,
        "path_prefix": "/msk/",
    }


def test_subdomain_mode_gives_hostnames(api_client, regions, settings):
    settings.REGIONS_TREE_MODE = "subdomain"
    settings.REGIONS_BASE_DOMAIN = "example.ru"

    item = api_client.get("/api/v1/regions/").json()["results"][0]

    assert (item["hostname"], item["path_prefix"]) == ("msk.example.ru", None)


def test_region_names_follow_accept_language(api_client, regions):
    response = api_client.get("/api/v1/regions/current", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["region"]["name"] == "Moscow"


def test_locale_parameter_beats_accept_language(api_client, regions):
    response = api_client.get("/api/v1/regions/current?locale=ru", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["region"]["name"] == "Москва"


def test_unknown_locale_is_a_400_with_stable_code(api_client, regions):
    response = api_client.get("/api/v1/regions/current?locale=de")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "locale_unknown"


def test_choose_sets_a_long_lived_cookie(api_client, regions):
    response = api_client.post(CHOOSE, {"code": "SPB"}, format="json")

    assert response.status_code == 200
    assert response.json()["region"]["code"] == "spb"
    assert response.json()["resolver"] == "cookie"
    cookie = response.cookies["megashop_region"]
    assert cookie.value == "spb"
    assert int(cookie["max-age"]) >= 60 * 60 * 24 * 300
    assert cookie["samesite"] == "Lax"


def test_choose_unknown_region_is_a_400_and_sets_no_cookie(api_client, regions):
    response = api_client.post(CHOOSE, {"code": "nsk"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "region_unknown"
    assert "megashop_region" not in response.cookies


def test_choose_without_code_is_a_validation_error(api_client, regions):
    response = api_client.post(CHOOSE, {}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["path"] == "code"


def test_responses_vary_on_cookie_and_region_header(api_client, regions):
    response = api_client.get("/api/v1/regions/current")

    vary = {value.strip().lower() for value in response["Vary"].split(",")}
    assert {"cookie", "x-region"} <= vary
