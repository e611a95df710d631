"""Заявка «перезвоните мне»: проверка полей, потолок с IP, заявка в «Неразобранном» amoCRM."""

import pytest

from integrations.core.models import Delivery, OutboxEvent
from tests.integrations.helpers import deliver_all

URL = "/api/v1/crm/requests/"
BODY = {"name": "Анна", "phone": "8 (916) 765-43-21", "comment": "Подберите размер", "page": "https://shop.example/p/1"}


@pytest.mark.django_db
def test_request_goes_to_amocrm_unsorted_with_the_page_and_a_comment_note(api_client, amo, fake):
    # when
    response = api_client.post(URL, BODY, format="json", REMOTE_ADDR="203.0.113.5", HTTP_REFERER="https://ya.ru/")

    # then: заявка принята и записана в outbox
    assert response.status_code == 202, response.content
    event = OutboxEvent.objects.get(kind="crm.request")
    assert response.json() == {"id": event.object_id}
    assert event.payload["phone"] == "+79167654321"

    # when: outbox доставил
    assert deliver_all(amo) == [True]

    # then: в «Неразобранном» — заявка с метаданными формы и контактом, комментарий — заметкой
    (record,) = fake.unsorted
    request = record["request"]
    assert request["metadata"]["form_page"] == "https://shop.example/p/1"
    assert request["metadata"]["ip"] == "203.0.113.5"
    assert request["metadata"]["referer"] == "https://ya.ru/"
    assert request["source_uid"] == str(event.uuid)
    contact = request["_embedded"]["contacts"][0]
    assert contact["custom_fields_values"][0]["values"][0]["value"] == "+79167654321"
    lead_id = record["_embedded"]["leads"][0]["id"]
    assert fake.leads[lead_id]["name"] == "Заявка с сайта: Анна"
    assert "Подберите размер" in fake.notes_of(lead_id)[0]["params"]["text"]


@pytest.mark.django_db
def test_invalid_request_is_400_with_field_codes(api_client, amo):
    response = api_client.post(URL, {"phone": "12", "page": "not a url"}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {field["path"]: field["code"] for field in error["fields"]} == {
        "name": "required",
        "phone": "invalid_phone",
        "page": "invalid",
    }
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
def test_request_without_a_crm_connection_is_503(api_client, shop):
    response = api_client.post(URL, BODY, format="json")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "crm_unavailable"
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_requests_from_one_ip_are_throttled(api_client, amo, settings):
    settings.CRM_REQUESTS_RATE = "2/hour"

    statuses = [api_client.post(URL, BODY, format="json", REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)]
    other = api_client.post(URL, BODY, format="json", REMOTE_ADDR="198.51.100.8")

    assert statuses == [202, 202, 429]
    assert other.status_code == 202
    assert OutboxEvent.objects.filter(kind="crm.request").count() == 3
