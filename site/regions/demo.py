"""Демонстрационные регионы и их деревья страниц для `manage.py seed_demo`."""

from wagtail.models import Locale

from regions.services import region_tree_build, region_upsert

DEMO_REGIONS = [
    {
        "code": "msk",
        "name": "Москва",
        "name_en": "Moscow",
        "is_default": True,
        "phone": "+74951234567",
        "address": "Москва, ул. Тверская, 1",
        "subdomain": "msk",
        "subfolder": "msk",
        "geoip_codes": "RU-MOW, RU-MOS",
        "sort_order": 10,
    },
    {
        "code": "spb",
        "name": "Санкт-Петербург",
        "name_en": "Saint Petersburg",
        "phone": "+78121234567",
        "address": "Санкт-Петербург, Невский пр., 1",
        "subdomain": "spb",
        "subfolder": "spb",
        "geoip_codes": "RU-SPE, RU-LEN",
        "sort_order": 20,
    },
    {
        "code": "kzn",
        "name": "Казань",
        "name_en": "Kazan",
        "phone": "+78431234567",
        "address": "Казань, ул. Баумана, 1",
        "subdomain": "kzn",
        "subfolder": "kzn",
        "geoip_codes": "RU-TA",
        "geoip_cities": "Казань, Kazan",
        "sort_order": 30,
    },
]


def seed_regions(*, stdout):
    """Создать три демо-региона, английскую локаль и деревья страниц для текущего режима."""
    for attributes in DEMO_REGIONS:
        attributes = dict(attributes)
        code = attributes.pop("code")
        _region, created = region_upsert(code=code, **attributes)
        if created:
            stdout.write(f"Регион «{attributes['name']}» создан.")
    # Английская локаль нужна, чтобы страницы можно было переводить (wagtail-localize).
    Locale.objects.get_or_create(language_code="en")
    region_tree_build(log=stdout.write)
