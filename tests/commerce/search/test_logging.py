"""Журнал поиска: запись через буфер Redis, анонимность, устойчивость к сбоям, события."""

import uuid

import pytest

from commerce.search import services
from commerce.search.models import SearchEvent, SearchQueryLog

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search/"
EVENTS = "/api/v1/search/events/"


@pytest.mark.redis_only(reason="буфер журнала — список Redis; без Redis запись идёт в базу сразу")
def test_search_is_buffered_then_flushed_in_bulk(api_client, shop, django_assert_max_num_queries):
    # when: два поиска — в базу журнала ничего не пишется во время запроса
    api_client.get(SEARCH, {"q": "Ноутбуки"}, HTTP_X_REGION="msk", HTTP_X_SESSION_ID="session-1")
    api_client.get(SEARCH, {"q": "нечто несуществующее"}, HTTP_X_REGION="spb")
    assert SearchQueryLog.objects.count() == 0
    # and: буфер переносится в базу одной пачкой
    with django_assert_max_num_queries(4):
        logs, events = services.search_buffer_flush()
    # then
    assert (logs, events) == (2, 0)
    found = SearchQueryLog.objects.get(region_code="msk")
    assert found.query == "ноутбуки"
    assert found.results_count == 4  # три ноутбука и категория
    assert len(found.session_hash) == 32 and "session-1" not in found.session_hash
    missing = SearchQueryLog.objects.get(region_code="spb")
    assert missing.results_count == 0


def test_search_id_in_response_identifies_the_logged_search(api_client, shop):
    body = api_client.get(SEARCH, {"q": "ёлка"}, HTTP_X_REGION="msk").json()
    services.search_buffer_flush()
    assert str(SearchQueryLog.objects.get().search_id) == body["search_id"]


def test_search_answers_even_when_log_buffer_is_down(api_client, shop, monkeypatch):
    # given: Redis недоступен для журнала
    def broken():
        raise ConnectionError("redis down")

    monkeypatch.setattr(services, "_redis", broken)
    # when
    response = api_client.get(SEARCH, {"q": "ноутбук"}, HTTP_X_REGION="msk")
    # then
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_same_user_gets_same_hash_and_raw_ids_are_not_stored():
    assert services.anonymize("user", 42) == services.anonymize("user", 42)
    assert services.anonymize("user", 42) != services.anonymize("session", 42)
    assert services.anonymize("user", None) == ""


def test_disabled_log_writes_nothing(api_client, shop, settings):
    settings.SEARCH_LOG_ENABLED = False
    api_client.get(SEARCH, {"q": "ноутбук"}, HTTP_X_REGION="msk")
    services.search_buffer_flush()
    assert SearchQueryLog.objects.count() == 0


def test_event_is_attributed_to_search(api_client, shop):
    # given
    search_id = api_client.get(SEARCH, {"q": "ноутбук"}, HTTP_X_REGION="msk").json()["search_id"]
    # when
    response = api_client.post(
        EVENTS,
        {"kind": "cart", "product": "laptop-pro", "search_id": search_id, "quantity": 2},
        format="json",
        HTTP_X_REGION="msk",
    )
    services.search_buffer_flush()
    # then
    assert response.status_code == 202
    event = SearchEvent.objects.get()
    assert (event.kind, event.product_id, event.category_id, event.quantity) == (
        "cart",
        shop.laptop_pro.pk,
        shop.laptops.pk,
        2,
    )
    assert str(event.search_id) == search_id and event.region_code == "msk"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"kind": "like", "product": "laptop-pro"}, 400, "event_kind_unknown"),
        ({"kind": "view", "product": "laptop-pro", "search_id": "not-a-uuid"}, 400, "search_id_invalid"),
        ({"kind": "view", "product": "no-such-product"}, 404, "product_not_found"),
        ({"kind": "view"}, 400, "required"),
    ],
)
def test_invalid_events_are_rejected_with_stable_codes(api_client, shop, payload, status, code):
    response = api_client.post(EVENTS, payload, format="json")
    assert response.status_code == status
    error = response.json()["error"]
    assert code in {error["code"], *(field["code"] for field in error["fields"])}


def test_service_rejects_unknown_event_kind():
    with pytest.raises(ValueError, match="like"):
        services.search_event_record(kind="like", product_id=1, search_id=uuid.uuid4())
