"""Определение региона запроса: каждый резолвер, их порядок и неверные значения."""

import pytest

from regions import resolvers
from tests.site.regions.conftest import KAZAN_IP, MOSCOW_IP, SAINT_PETERSBURG_IP

CURRENT = "/api/v1/regions/current"


def current(api_client, path=CURRENT, **extra):
    response = api_client.get(path, **extra)
    assert response.status_code == 200, response.content
    return response.json()["region"]["code"], response.json()["resolver"]


def test_without_any_hint_the_default_region_is_used_and_should_be_confirmed(api_client, regions):
    response = api_client.get(CURRENT)

    assert response.status_code == 200
    body = response.json()
    assert body["region"]["code"] == "msk"
    assert body["resolver"] == "default"
    assert body["should_confirm"] is True


def test_query_parameter_selects_region(api_client, regions):
    assert current(api_client, f"{CURRENT}?region=kzn") == ("kzn", "explicit")


def test_header_selects_region(api_client, regions):
    assert current(api_client, HTTP_X_REGION="spb") == ("spb", "explicit")


def test_explicit_code_is_case_and_space_insensitive(api_client, regions):
    assert current(api_client, f"{CURRENT}?region=%20KZN%20") == ("kzn", "explicit")


def test_query_parameter_wins_over_header(api_client, regions):
    assert current(api_client, f"{CURRENT}?region=kzn", HTTP_X_REGION="spb") == ("kzn", "explicit")


def test_empty_explicit_values_are_ignored(api_client, regions):
    assert current(api_client, f"{CURRENT}?region=", HTTP_X_REGION="  ") == ("msk", "default")


@pytest.mark.parametrize("value", ["nsk", "../msk", "<script>", "m" * 300])
def test_unknown_explicit_region_is_a_400_with_stable_code_not_the_default(api_client, regions, value):
    response = api_client.get(CURRENT, {"region": value})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "region_unknown"
    assert len(error["message"]) < 120


def test_unknown_header_region_is_a_400_too(api_client, regions):
    response = api_client.get(CURRENT, HTTP_X_REGION="nsk")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "region_unknown"


def test_inactive_region_cannot_be_chosen_explicitly(api_client, regions):
    # given
    regions["kzn"].is_active = False
    regions["kzn"].save()

    # when
    response = api_client.get(CURRENT, {"region": "kzn"})

    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "region_unknown"


def test_unknown_region_on_a_page_path_is_a_plain_400(client, regions):
    response = client.get("/some-page/", {"region": "nsk"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_subfolder_selects_region_and_is_stripped_for_routing(api_client, regions):
    assert current(api_client, f"/spb{CURRENT}") == ("spb", "subfolder")


def test_unknown_first_path_segment_is_not_a_region(api_client, regions):
    response = api_client.get(f"/nsk{CURRENT}/")

    # Путь не снят: /nsk/api/... не маршрут API, а чужая страница.
    assert response.status_code == 404


def test_subdomain_selects_region(api_client, regions, settings):
    settings.REGIONS_BASE_DOMAIN = "example.ru"
    settings.ALLOWED_HOSTS = [".example.ru"]

    assert current(api_client, HTTP_HOST="kzn.example.ru") == ("kzn", "subdomain")


@pytest.mark.parametrize("host", ["www.example.ru", "example.ru", "kzn.example.com", "kzn.example.ru.evil.com"])
def test_other_hosts_do_not_select_a_region(api_client, regions, settings, host):
    settings.REGIONS_BASE_DOMAIN = "example.ru"
    settings.ALLOWED_HOSTS = ["*"]

    assert current(api_client, HTTP_HOST=host) == ("msk", "default")


def test_geoip_selects_region_by_client_address(api_client, regions, geoip_database):
    response = api_client.get(CURRENT, REMOTE_ADDR=SAINT_PETERSBURG_IP)

    body = response.json()
    assert (body["region"]["code"], body["resolver"]) == ("spb", "geoip")
    assert body["should_confirm"] is True


def test_cookie_remembers_the_chosen_region(api_client, regions):
    # given
    chosen = api_client.post("/api/v1/regions/choose", {"code": "kzn"}, format="json")
    assert chosen.status_code == 200

    # when
    response = api_client.get(CURRENT)

    # then
    body = response.json()
    assert (body["region"]["code"], body["resolver"], body["should_confirm"]) == ("kzn", "cookie", False)


def test_stale_cookie_of_a_deleted_region_falls_through_to_default(api_client, regions):
    api_client.cookies["megashop_region"] = "old"

    assert current(api_client) == ("msk", "default")


def test_explicit_beats_subfolder_beats_subdomain_beats_geoip_beats_cookie(
    api_client, regions, settings, geoip_database
):
    # given: каждый способ называет свой регион
    settings.REGIONS_BASE_DOMAIN = "example.ru"
    settings.ALLOWED_HOSTS = [".example.ru"]
    api_client.cookies["megashop_region"] = "kzn"
    hints = {"HTTP_HOST": "spb.example.ru", "REMOTE_ADDR": MOSCOW_IP}

    # then: побеждает первый в списке, а без него — следующий
    assert current(api_client, f"/kzn{CURRENT}?region=msk", **hints) == ("msk", "explicit")
    assert current(api_client, f"/kzn{CURRENT}", **hints) == ("kzn", "subfolder")
    assert current(api_client, CURRENT, **hints) == ("spb", "subdomain")
    assert current(api_client, CURRENT, HTTP_HOST="www.example.ru", REMOTE_ADDR=MOSCOW_IP) == ("msk", "geoip")
    assert current(api_client, CURRENT, HTTP_HOST="www.example.ru", REMOTE_ADDR="192.0.2.1") == ("kzn", "cookie")


def test_order_comes_from_settings(api_client, regions, settings, geoip_database):
    # given: cookie важнее GeoIP
    settings.REGIONS_RESOLVERS = [
        "regions.resolvers.CookieResolver",
        "regions.resolvers.GeoIpResolver",
        "regions.resolvers.DefaultResolver",
    ]
    api_client.cookies["megashop_region"] = "spb"

    # then
    assert current(api_client, REMOTE_ADDR=KAZAN_IP) == ("spb", "cookie")


def test_resolvers_left_out_of_settings_are_not_asked(api_client, regions, settings):
    settings.REGIONS_RESOLVERS = ["regions.resolvers.SubdomainResolver", "regions.resolvers.DefaultResolver"]

    assert current(api_client, f"{CURRENT}?region=nsk") == ("msk", "default")


def test_without_regions_the_request_still_works_and_current_says_not_configured(api_client, db):
    response = api_client.get(CURRENT)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "region_not_configured"


def test_default_settings_list_every_builtin_resolver_in_the_documented_order(settings):
    # given: встроенные резолверы в порядке объявления в regions/resolvers.py (он же — порядок в документации)
    base = resolvers.RegionResolver
    builtin = [
        f"regions.resolvers.{name}"
        for name, value in vars(resolvers).items()
        if isinstance(value, type) and issubclass(value, base) and value is not base
    ]

    # when
    configured = list(settings.REGIONS_RESOLVERS)

    # then: настройки по умолчанию перечисляют их все в том же порядке, DefaultResolver — последним
    assert configured == builtin
    assert builtin[-1] == "regions.resolvers.DefaultResolver"
