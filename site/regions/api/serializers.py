"""Сериализаторы API регионов: вход — код выбранного региона, выход — регион и способ его определения."""

from rest_framework import serializers

from regions import conf


class RegionOutputSerializer(serializers.Serializer):
    """Регион для витрины; название — на языке запроса (?locale= или Accept-Language)."""

    code = serializers.CharField()
    name = serializers.SerializerMethodField()
    is_default = serializers.BooleanField()
    currency = serializers.CharField()
    time_zone = serializers.CharField()
    phone = serializers.SerializerMethodField()
    address = serializers.CharField()
    hostname = serializers.SerializerMethodField(help_text="Адрес сайта региона в режиме поддоменов, иначе null.")
    path_prefix = serializers.SerializerMethodField(help_text="Префикс пути региона в режиме подпапок, иначе null.")

    def get_name(self, region) -> str:
        return region.display_name()

    def get_phone(self, region) -> str:
        return str(region.phone) if region.phone else ""

    def get_hostname(self, region) -> str | None:
        if conf.setting("REGIONS_TREE_MODE") != conf.TREE_MODE_SUBDOMAIN:
            return None
        return f"{region.subdomain or region.code}.{conf.setting('REGIONS_BASE_DOMAIN')}"

    def get_path_prefix(self, region) -> str | None:
        if conf.setting("REGIONS_TREE_MODE") != conf.TREE_MODE_SUBFOLDER:
            return None
        return f"/{region.tree_slug}/"


class RegionCurrentOutputSerializer(serializers.Serializer):
    """Регион запроса и резолвер, который его определил."""

    region = RegionOutputSerializer()
    resolver = serializers.CharField(help_text="explicit, subfolder, subdomain, geoip, cookie или default.")
    should_confirm = serializers.BooleanField(
        help_text="Регион угадан (GeoIP или по умолчанию): стоит спросить «Ваш город — Москва?»."
    )


class RegionChooseInputSerializer(serializers.Serializer):
    """Выбор региона посетителем."""

    code = serializers.CharField(max_length=64)
