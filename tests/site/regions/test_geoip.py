"""GeoIP: база MaxMind, собранная в тесте; доверенные прокси и X-Forwarded-For."""

import pytest

from regions import geoip
from tests.site.regions.conftest import (
    FOREIGN_IP,
    KAZAN_IP,
    MOSCOW_IP,
    MOSCOW_IPV6,
    MOSCOW_OBLAST_IP,
    RUSSIA_ONLY_IP,
    SAINT_PETERSBURG_IP,
    UNKNOWN_IP,
)

CURRENT = "/api/v1/regions/current"


def resolved(api_client, **extra):
    body = api_client.get(CURRENT, **extra).json()
    return body["region"]["code"], body["resolver"]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (MOSCOW_IP, ("msk", "geoip")),
        (MOSCOW_OBLAST_IP, ("msk", "geoip")),
        (SAINT_PETERSBURG_IP, ("spb", "geoip")),
        (KAZAN_IP, ("kzn", "geoip")),
        (MOSCOW_IPV6, ("msk", "geoip")),
        (FOREIGN_IP, ("msk", "default")),
        (UNKNOWN_IP, ("msk", "default")),
        ("::1", ("msk", "default")),
    ],
)
def test_client_address_maps_to_region(api_client, regions, geoip_database, address, expected):
    assert resolved(api_client, REMOTE_ADDR=address) == expected


def test_country_code_rule_catches_addresses_known_only_to_country_level(api_client, regions, geoip_database):
    # given: адрес известен базе только до страны, и у Казани есть правило «вся Россия»
    regions["kzn"].geoip_codes = "RU"
    regions["kzn"].save()

    # then: субъект точнее страны, страна лучше, чем ничего
    assert resolved(api_client, REMOTE_ADDR=RUSSIA_ONLY_IP) == ("kzn", "geoip")
    assert resolved(api_client, REMOTE_ADDR=MOSCOW_IP) == ("msk", "geoip")


def test_locate_reads_subdivision_codes_and_city_names(geoip_database):
    place = geoip.locator().locate(KAZAN_IP)

    assert place.country_code == "RU"
    assert place.subdivision_codes == ("RU-TA",)
    assert {"казань", "kazan"} <= place.city_names


def test_missing_database_means_no_geoip_not_an_error(api_client, regions, settings, tmp_path):
    settings.REGIONS_GEOIP_DATABASE = str(tmp_path / "absent.mmdb")

    assert resolved(api_client, REMOTE_ADDR=MOSCOW_IP) == ("msk", "default")


def test_broken_database_file_means_no_geoip_not_an_error(api_client, regions, settings, tmp_path):
    broken = tmp_path / "broken.mmdb"
    broken.write_bytes(b"not a maxmind database")
    settings.REGIONS_GEOIP_DATABASE = str(broken)

    assert resolved(api_client, REMOTE_ADDR=SAINT_PETERSBURG_IP) == ("msk", "default")


def test_forwarded_for_from_an_untrusted_address_is_ignored(api_client, regions, geoip_database, settings):
    # given: прокси не настроены, посетитель сам прислал X-Forwarded-For с петербургским адресом
    settings.TRUSTED_PROXIES = []

    # then: смотрим на адрес соединения (Москва), а не на подделку
    assert resolved(api_client, REMOTE_ADDR=MOSCOW_IP, HTTP_X_FORWARDED_FOR=SAINT_PETERSBURG_IP) == ("msk", "geoip")


def test_forwarded_for_from_a_stranger_is_ignored_even_when_proxies_are_configured(
    api_client, regions, geoip_database, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert resolved(api_client, REMOTE_ADDR=KAZAN_IP, HTTP_X_FORWARDED_FOR=SAINT_PETERSBURG_IP) == ("kzn", "geoip")


def test_forwarded_for_from_a_trusted_proxy_gives_the_client_address(api_client, regions, geoip_database, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "172.16.0.0/12"]

    # Посетитель подставил «Москву» слева; правее — его настоящий адрес и наш внутренний прокси.
    forwarded = f"{MOSCOW_IP}, {SAINT_PETERSBURG_IP}, 172.16.0.5"
    assert resolved(api_client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded) == ("spb", "geoip")


def test_forwarded_ipv6_client_behind_trusted_proxy(api_client, regions, geoip_database, settings):
    settings.TRUSTED_PROXIES = ["::1"]

    assert resolved(api_client, REMOTE_ADDR="::1", HTTP_X_FORWARDED_FOR=MOSCOW_IPV6) == ("msk", "geoip")


def test_garbage_in_forwarded_for_stops_trusting_the_chain(api_client, regions, geoip_database, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert resolved(api_client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip") == ("msk", "default")


def test_replaced_database_file_is_reopened(regions, geoip_database, settings, tmp_path):
    # given: база открыта и проверка изменений — на каждом запросе
    settings.REGIONS_GEOIP_RELOAD_SECONDS = 0
    assert geoip.locator().locate(MOSCOW_IP) is not None

    # when: файл базы заменили пустым (без наших сетей)
    replacement = tmp_path / "other.mmdb"
    from mmdb_writer import MMDBWriter

    MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoLite2-City").to_db_file(str(replacement))
    replacement.replace(geoip_database)
    import os

    os.utime(geoip_database, (1, 1))

    # then
    assert geoip.locator().locate(MOSCOW_IP) is None
