"""Разбор ответов Frappe: сообщения ошибок закодированы дважды в ``_server_messages``."""

import json

from integrations.erpnext.client import server_messages


def test_server_messages_are_decoded_twice():
    body = json.dumps(
        {
            "exc_type": "MandatoryError",
            "_server_messages": json.dumps([json.dumps({"message": "Value missing for Sales Order: delivery_date"})]),
        }
    )

    assert server_messages(body) == ("MandatoryError", "Value missing for Sales Order: delivery_date")


def test_not_json_or_plain_message_bodies_are_understood():
    assert server_messages("<html>502</html>") == ("", "")
    assert server_messages(json.dumps({"message": "Не найдено"})) == ("", "Не найдено")
