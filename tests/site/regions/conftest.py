"""Фикстуры регионов: три региона, база GeoIP, собранная в тесте, и деревья страниц."""

import netaddr
import pytest
from mmdb_writer import MmdbF64, MmdbU32, MMDBWriter
from wagtail.models import Locale

from regions import geoip
from regions.registry import region_registry_invalidate
from tests.factories.regions import RegionFactory

MOSCOW_IP = "10.10.1.15"
SAINT_PETERSBURG_IP = "10.10.2.15"
KAZAN_IP = "10.10.3.15"
MOSCOW_OBLAST_IP = "10.10.4.15"
RUSSIA_ONLY_IP = "10.10.5.15"
FOREIGN_IP = "10.20.1.15"
MOSCOW_IPV6 = "2a02:6b8::1"
UNKNOWN_IP = "192.0.2.1"


def _russian_place(subdivision_code, subdivision_ru, city_en, city_ru, latitude, longitude):
    return {
        "country": {"iso_code": "RU", "geoname_id": MmdbU32(2017370), "names": {"en": "Russia", "ru": "Россия"}},
        "subdivisions": [{"iso_code": subdivision_code, "names": {"en": subdivision_ru, "ru": subdivision_ru}}],
        "city": {"names": {"en": city_en, "ru": city_ru}},
        "location": {"latitude": MmdbF64(latitude), "longitude": MmdbF64(longitude), "time_zone": "Europe/Moscow"},
    }


@pytest.fixture
def geoip_database(tmp_path, settings):
    """Собрать маленькую базу GeoLite2-City и подключить её в настройках."""
    writer = MMDBWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type="GeoLite2-City",
        languages=["en", "ru"],
        description={"en": "Megashop test data", "ru": "Тестовые данные Megashop"},
    )
    moscow = _russian_place("MOW", "Москва", "Moscow", "Москва", 55.75, 37.62)
    writer.insert_network(netaddr.IPSet(["10.10.1.0/24"]), moscow)
    writer.insert_network(netaddr.IPSet(["2a02:6b8::/32"]), moscow)
    writer.insert_network(
        netaddr.IPSet(["10.10.2.0/24"]),
        _russian_place("SPE", "Санкт-Петербург", "Saint Petersburg", "Санкт-Петербург", 59.94, 30.31),
    )
    # Казань узнаётся по городу: код RU-TA у региона намеренно не указан.
    writer.insert_network(
        netaddr.IPSet(["10.10.3.0/24"]), _russian_place("TA", "Татарстан", "Kazan", "Казань", 55.79, 49.12)
    )
    writer.insert_network(
        netaddr.IPSet(["10.10.4.0/24"]),
        _russian_place("MOS", "Московская область", "Khimki", "Химки", 55.89, 37.44),
    )
    writer.insert_network(
        netaddr.IPSet(["10.10.5.0/24"]),
        {"country": {"iso_code": "RU", "names": {"en": "Russia", "ru": "Россия"}}},
    )
    writer.insert_network(
        netaddr.IPSet(["10.20.1.0/24"]),
        {
            "country": {"iso_code": "DE", "names": {"en": "Germany", "ru": "Германия"}},
            "subdivisions": [{"iso_code": "BE", "names": {"en": "Berlin", "ru": "Берлин"}}],
            "city": {"names": {"en": "Berlin", "ru": "Берлин"}},
        },
    )
    path = tmp_path / "GeoLite2-City-Test.mmdb"
    writer.to_db_file(str(path))
    settings.REGIONS_GEOIP_DATABASE = str(path)
    yield path
    geoip.locator_reset()


@pytest.fixture
def regions(db):
    """Москва (по умолчанию), Санкт-Петербург и Казань с правилами GeoIP."""
    moscow = RegionFactory(
        code="msk", name="Москва", name_en="Moscow", is_default=True, geoip_codes="RU-MOW, RU-MOS", sort_order=10
    )
    spb = RegionFactory(code="spb", name="Санкт-Петербург", name_en="Saint Petersburg", geoip_codes="RU-SPE")
    kazan = RegionFactory(code="kzn", name="Казань", name_en="Kazan", geoip_cities="Казань")
    region_registry_invalidate()
    return {"msk": moscow, "spb": spb, "kzn": kazan}


@pytest.fixture
def english_locale(db):
    return Locale.objects.get_or_create(language_code="en")[0]
