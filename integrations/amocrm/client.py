"""Запросы к amoCRM API v4 от имени подключения: токен Bearer, обновление после 401, пустой ответ 204.

Поверх HttpClient ядра (адрес аккаунта, лимит 7 запросов в секунду, таймауты, повторы 5xx/429,
секреты замаскированы в журналах).
"""

from integrations.amocrm.oauth import token_current, token_refresh
from integrations.core.http import HttpError

# Сколько сущностей amoCRM принимает в одном запросе создания или фильтре по id.
BATCH_SIZE = 50


class AmoApi:
    """API одного аккаунта amoCRM.

    Args:
        connection: подключение amoCRM.
        client: HttpClient подключения (integrations.core.http.connection_client).
    """

    def __init__(self, *, connection, client):
        self.connection = connection
        self.client = client

    def _long_lived(self):
        return (
            bool(self.connection.secrets_get().get("long_lived_token")) if self.connection.secrets_encrypted else False
        )

    def _send(self, method, path, token, **kwargs):
        if token not in self.client.secrets:
            self.client.secrets.append(token)
        return self.client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)

    def request(self, method, path, **kwargs):
        """Выполнить запрос; на 401 один раз обновить токен и повторить.

        Returns:
            dict или list из JSON ответа; пустой ответ (204) — {}.

        Raises:
            HttpError, AuthBroken.
        """
        token = token_current(connection=self.connection, client=self.client)
        try:
            response = self._send(method, path, token, **kwargs)
        except HttpError as error:
            if error.status != 401 or self._long_lived():
                raise
            token = token_refresh(connection=self.connection, client=self.client, stale=token)
            response = self._send(method, path, token, **kwargs)
        if response.status_code == 204 or not response.content:
            return {}
        return response.json()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, document):
        return self.request("POST", path, json=document)

    def patch(self, path, document):
        return self.request("PATCH", path, json=document)

    @staticmethod
    def embedded(document, name):
        """Список сущностей из ``_embedded.<name>`` (пустой ответ — пустой список)."""
        return ((document or {}).get("_embedded") or {}).get(name) or []

    def leads_by_ids(self, ids):
        """Перечитать сделки по id пачками до BATCH_SIZE (с контактами)."""
        leads = []
        ids = list(ids)
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            params = [("filter[id][]", lead_id) for lead_id in chunk] + [("limit", BATCH_SIZE), ("with", "contacts")]
            leads.extend(self.embedded(self.get("/api/v4/leads", params=params), "leads"))
        return leads
