"""Кэширование API настоящим Varnish перед gunicorn: s-maxage, ключи, private, сброс.

Varnish — из пакетов Debian (apt-get install varnish); без него тесты пропускаются с причиной.
"""

import pytest
import requests

from tests.scaling.conftest import shell_run, web_env

pytestmark = [
    pytest.mark.postgres_only(reason="узлы gunicorn с PostgreSQL и Redis за Varnish"),
    pytest.mark.django_db,
]


def _get(url, **headers):
    return requests.get(url, headers=headers, timeout=10)


def _product(pg_pair):
    primary, _replica = pg_pair
    product_id, slug = primary.sql("SELECT id, slug FROM catalog_product WHERE is_active ORDER BY id LIMIT 1").split(
        "|"
    )
    return int(product_id), slug


def test_catalog_with_explicit_region_is_stored_by_varnish_with_surrogate_keys(varnish, pg_pair):
    # given
    url = f"{varnish}/api/v1/catalog/products/?page_size=5&cdn_case=keys"
    # when
    first = _get(url, **{"X-Region": "msk"})
    second = _get(url, **{"X-Region": "msk"})
    # then: общий кэш может хранить ответ 60 с и ещё 30 с отдавать устаревший, пока обновляет
    assert first.status_code == 200
    cache_control = first.headers["Cache-Control"]
    assert "public" in cache_control
    assert "s-maxage=60" in cache_control
    assert "stale-while-revalidate=30" in cache_control
    keys = first.headers["Surrogate-Key"].split()
    product_ids = [item["id"] for item in first.json()["results"]]
    assert "catalog" in keys and "region-msk" in keys
    assert {f"product-{product_id}" for product_id in product_ids} <= set(keys)
    assert first.headers["Cache-Tag"].split(",") == keys
    assert first.headers["X-Cache"] == "MISS"
    assert second.headers["X-Cache"] == "HIT"
    assert second.json() == first.json()


def test_other_region_is_a_separate_cache_entry(varnish, pg_pair):
    # given: ответ для Москвы уже в кэше
    url = f"{varnish}/api/v1/catalog/products/?page_size=5&cdn_case=vary"
    _get(url, **{"X-Region": "msk"})
    # when: тот же адрес для другого региона
    other = _get(url, **{"X-Region": "spb"})
    # then: Vary: X-Region — Varnish не отдаёт ответ чужого региона
    assert other.headers["X-Cache"] == "MISS"
    assert other.headers["X-Region"] == "spb"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="region-guessed-by-geoip-or-default"),
        pytest.param({"Cookie": "megashop_region=spb"}, id="region-from-cookie"),
    ],
)
def test_region_from_geoip_or_cookie_is_never_shared(varnish, headers):
    # given
    url = f"{varnish}/api/v1/catalog/categories/?cdn_case=private-{len(headers)}"
    # when
    first = _get(url, **headers)
    second = _get(url, **headers)
    # then: ответ личный — общий кэш его не хранит, браузер сверяет по ETag
    assert first.status_code == 200
    assert first.headers["Cache-Control"].startswith("private")
    assert "Surrogate-Key" not in first.headers
    assert second.headers["X-Cache"] == "MISS"


def test_product_change_purges_its_card_and_lists_through_frontend_cache(varnish, pg_pair, redis_server):
    # given: карточка и список с товаром лежат в Varnish
    product_id, slug = _product(pg_pair)
    card_url = f"{varnish}/api/v1/catalog/products/{slug}/"
    list_url = f"{varnish}/api/v1/catalog/products/?page_size=100&cdn_case=purge"
    for url in (card_url, list_url):
        _get(url, **{"X-Region": "msk"})
        assert _get(url, **{"X-Region": "msk"}).headers["X-Cache"] == "HIT"
    # when: товар правят в другом процессе (как из админки): сигнал → PURGE через frontend_cache
    shell_run(
        web_env(pg_pair, redis_server),
        f"from commerce.catalog.models import Product\n"
        f"product = Product.objects.get(pk={product_id})\n"
        f"product.name = 'Сброшено из кэша'\n"
        f"product.save()\n",
    )
    # then: и карточка, и список по ключу product-<id> — мимо кэша, с новым названием
    card = _get(card_url, **{"X-Region": "msk"})
    assert card.headers["X-Cache"] == "MISS"
    assert card.json()["name"] == "Сброшено из кэша"
    listing = _get(list_url, **{"X-Region": "msk"})
    assert listing.headers["X-Cache"] == "MISS"
    assert "Сброшено из кэша" in {item["name"] for item in listing.json()["results"]}
