"""Два узла gunicorn на разных портах с общими PostgreSQL и Redis: у узлов нет своего состояния."""

import re

import pytest
import requests

from tests.scaling.conftest import ADMIN_PASSWORD, TRACK_RATE_PER_WINDOW, shell_run, web_env

pytestmark = [
    pytest.mark.postgres_only(reason="узлы gunicorn с общими PostgreSQL и Redis"),
    pytest.mark.django_db,
]


def _variant_in_stock(pg_pair):
    primary, _replica = pg_pair
    return int(
        primary.sql(
            "SELECT s.variant_id FROM inventory_stock s JOIN inventory_warehouse w ON w.id = s.warehouse_id "
            "WHERE s.quantity - s.reserved >= 5 ORDER BY s.variant_id LIMIT 1"
        )
    )


def test_cart_created_on_one_node_is_the_same_cart_on_the_other(web_nodes, pg_pair):
    # given
    node_a, node_b = web_nodes
    variant_id = _variant_in_stock(pg_pair)
    created = requests.post(
        f"{node_a.url}/api/v1/cart/lines/", json={"variant_id": variant_id, "quantity": 1}, timeout=10
    )
    assert created.status_code == 200, created.text
    token = created.headers["X-Cart-Token"]
    # when: количество меняет другой узел
    changed = requests.patch(
        f"{node_b.url}/api/v1/cart/lines/{variant_id}/",
        json={"quantity": 2},
        headers={"X-Cart-Token": token},
        timeout=10,
    )
    # then: первый узел видит ту же корзину с новым количеством
    assert changed.status_code == 200, changed.text
    seen = requests.get(f"{node_a.url}/api/v1/cart/", headers={"X-Cart-Token": token}, timeout=10).json()
    assert [(line["variant_id"], line["quantity"]) for line in seen["lines"]] == [(variant_id, 2)]


def test_admin_session_from_one_node_is_valid_on_the_other(web_nodes):
    # given: вход в Django admin на узле A
    node_a, node_b = web_nodes
    session = requests.Session()
    login_page = session.get(f"{node_a.url}/django-admin/login/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    logged_in = session.post(
        f"{node_a.url}/django-admin/login/?next=/django-admin/",
        data={"csrfmiddlewaretoken": csrf, "username": "admin", "password": ADMIN_PASSWORD},
        headers={"Referer": f"{node_a.url}/django-admin/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert logged_in.status_code == 302, logged_in.text[:500]
    # when: с той же cookie сессии — на узел B
    page = session.get(f"{node_b.url}/django-admin/", timeout=10, allow_redirects=False)
    # then: сессия общая (в базе), узел B пускает без нового входа
    assert page.status_code == 200


def test_rate_limit_counts_requests_to_both_nodes_together(web_nodes):
    # given: потолок отслеживания заказа — 3 запроса в час с одного IP
    node_a, node_b = web_nodes
    params = {"number": "MS-000000", "phone": "+79990000000"}
    # when: запросы по очереди идут на разные узлы
    statuses = [
        requests.get(f"{node.url}/api/v1/orders/track/", params=params, timeout=10).status_code
        for node in (node_a, node_b, node_a, node_b)
    ]
    # then: счётчик один на оба узла (Redis роли «лимиты») — четвёртый запрос уже 429
    assert 429 not in statuses[:TRACK_RATE_PER_WINDOW]
    assert statuses[TRACK_RATE_PER_WINDOW] == 429


def test_catalog_cache_is_shared_and_invalidated_for_both_nodes(web_nodes, pg_pair, redis_server):
    # given: список построен узлом A и лежит в общем Redis
    node_a, node_b = web_nodes
    url = "/api/v1/catalog/products/?page_size=3&nodes_case=cache"
    first_a = requests.get(node_a.url + url, headers={"X-Region": "msk"}, timeout=10)
    first_b = requests.get(node_b.url + url, headers={"X-Region": "msk"}, timeout=10)
    assert first_a.headers["ETag"] == first_b.headers["ETag"]
    product_id = first_a.json()["results"][0]["id"]
    # when: товар меняют в третьем процессе — версия каталога в Redis меняется для всех
    shell_run(
        web_env(pg_pair, redis_server),
        f"from commerce.catalog.models import Product\n"
        f"product = Product.objects.get(pk={product_id})\n"
        f"product.name = 'Видно на обоих узлах'\n"
        f"product.save()\n",
    )
    # then: оба узла сразу отдают новый ответ, один и тот же
    second_a = requests.get(node_a.url + url, headers={"X-Region": "msk"}, timeout=10)
    second_b = requests.get(node_b.url + url, headers={"X-Region": "msk"}, timeout=10)
    assert second_a.headers["ETag"] != first_a.headers["ETag"]
    assert second_a.headers["ETag"] == second_b.headers["ETag"]
    assert second_b.json()["results"][0]["name"] == "Видно на обоих узлах"
