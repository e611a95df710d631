"""Фейковый аккаунт amoCRM для тестов: OAuth и API v4 в форме, которую описывает спецификация.

Умеет: выдачу и одноразовое обновление токенов (``/oauth2/access_token``), отзыв доступа,
401 на истёкший токен, контакты с поиском ``query``, сделки (в том числе ``/leads/complex``),
заметки, неразобранное (``/leads/unsorted/forms``), воронки, пользователей, списки (каталоги)
и их элементы (``/catalogs/{id}/elements``, поле SKU, поиск ``query``), связи сделки
(``/leads/{id}/link``, ``/leads/{id}/links``: товары с количеством); пустой список —
204 без тела; больше 7 запросов за секунду — 429 с Retry-After; по очереди ``fail`` — 5xx/429.
Поиск ``query`` у контактов сравнивает цифры телефона и текст полей, как поиск amoCRM
по подстроке: «9161234567» находит и «+7 916 123-45-67», и «8 (916) 123-45-67».
"""

import itertools
import json
import re
import threading
import time
from collections import deque

from werkzeug import Response

PIPELINE_ID = 3508507
STAGE_NEW = 7039101
STAGE_PAID = 7039102
STAGE_ASSEMBLING = 7039103
STAGE_WON = 142
STAGE_LOST = 143
MANAGER_ID = 99999
PRODUCTS_CATALOG_ID = 5541


def _json(document, status=200):
    return Response(json.dumps(document, ensure_ascii=False), status=status, content_type="application/hal+json")


def _problem(status, title, detail="", **extra):
    body = {"title": title, "type": f"https://httpstatus.es/{status}", "status": status, "detail": detail, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json")


def _digits(value):
    return re.sub(r"\D", "", str(value))


class FakeAmo:
    def __init__(self, *, subdomain="myshop", account_id=17769199, client_id="amo-client", client_secret="amo-secret"):
        self.lock = threading.RLock()
        self.subdomain = subdomain
        self.account_id = account_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.codes = {"auth-code-1"}
        self.access = {}  # токен → момент истечения (time.time())
        self.refresh_tokens = set()
        self.long_lived = set()
        self.expires_in = 86400
        self.token_delay = 0.0  # секунды: сервер авторизации тормозит (чтобы воркеры столкнулись)
        self.search_delay = 0.0  # секунды: поиск контактов тормозит (чтобы доставки столкнулись)
        self.grants = []  # grant_type каждого удачного запроса токена
        self.grant_failures = []
        self.contacts = {}
        self.leads = {}
        self.notes = []
        self.unsorted = []
        self.users = {MANAGER_ID: {"id": MANAGER_ID, "name": "Мария Менеджер"}}
        # Список «Товары» есть, когда в аккаунте включены товары; элементы — {id: элемент}.
        self.catalogs = {
            PRODUCTS_CATALOG_ID: {"id": PRODUCTS_CATALOG_ID, "name": "Товары", "type": "products"},
        }
        self.elements = {}
        self.links = {}  # id сделки → [связь]
        self.pipelines = {
            PIPELINE_ID: {
                "id": PIPELINE_ID,
                "name": "Интернет-магазин",
                "_embedded": {
                    "statuses": [
                        {"id": stage, "name": name, "pipeline_id": PIPELINE_ID}
                        for stage, name in (
                            (STAGE_NEW, "Новый заказ"),
                            (STAGE_PAID, "Оплачен"),
                            (STAGE_ASSEMBLING, "Собирается"),
                            (STAGE_WON, "Успешно реализовано"),
                            (STAGE_LOST, "Закрыто и не реализовано"),
                        )
                    ]
                },
            }
        }
        self.fail = deque()  # статусы ответов следующим запросам к API (не к OAuth)
        self.down = False  # весь аккаунт отвечает 503
        self.rate_limit = 7
        self.arrivals = deque()
        self.throttled = 0
        self.requests = []  # (метод, путь)
        self._ids = itertools.count(1000)
        self._tokens = itertools.count(1)

    # --- подготовка данных теста ----------------------------------------------------------
    def token_issue(self, *, expires_in=None):
        """Выдать пару токенов (как после установки интеграции); вернуть (access, refresh)."""
        with self.lock:
            number = next(self._tokens)
            access, refresh = f"access-{number}", f"refresh-{number}"
            self.access[access] = time.time() + (self.expires_in if expires_in is None else expires_in)
            self.refresh_tokens.add(refresh)
            return access, refresh

    def tokens_expire(self):
        """Истечь все токены доступа на стороне amoCRM (следующий запрос получит 401)."""
        with self.lock:
            self.access = dict.fromkeys(self.access, 0.0)

    def revoke(self):
        """Отозвать доступ интеграции: токены доступа и обновления больше не действуют."""
        with self.lock:
            self.access.clear()
            self.refresh_tokens.clear()

    def contact_add(self, *, name, phone=None, email=None):
        with self.lock:
            contact_id = next(self._ids)
            fields = []
            if phone:
                fields.append({"field_code": "PHONE", "field_id": 1, "values": [{"value": phone, "enum_code": "MOB"}]})
            if email:
                fields.append({"field_code": "EMAIL", "field_id": 2, "values": [{"value": email, "enum_code": "WORK"}]})
            self.contacts[contact_id] = {"id": contact_id, "name": name, "custom_fields_values": fields or None}
            return contact_id

    def lead_move(self, lead_id, *, status_id=None, responsible_user_id=None):
        """Менеджер двигает сделку в интерфейсе amoCRM."""
        with self.lock:
            lead = self.leads[lead_id]
            if status_id is not None:
                lead["status_id"] = status_id
            if responsible_user_id is not None:
                lead["responsible_user_id"] = responsible_user_id
            lead["updated_at"] = int(time.time())

    def api_requests(self, method=None, path=None):
        return [
            item
            for item in self.requests
            if (method is None or item[0] == method) and (path is None or item[1] == path)
        ]

    def element_add(self, *, name, sku, catalog_id=PRODUCTS_CATALOG_ID):
        """Менеджер завёл товар в списке сам."""
        with self.lock:
            element_id = next(self._ids)
            self.elements[element_id] = {
                "id": element_id,
                "catalog_id": catalog_id,
                "name": name,
                "custom_fields_values": [{"field_code": "SKU", "field_id": 3, "values": [{"value": sku}]}],
            }
            return element_id

    def lead_products(self, lead_id):
        """Товары сделки: {артикул: количество}."""
        result = {}
        for link in self.links.get(lead_id, []):
            if link["to_entity_type"] == "catalog_elements":
                element = self.elements[link["to_entity_id"]]
                sku = next(
                    field["values"][0]["value"]
                    for field in element["custom_fields_values"]
                    if field["field_code"] == "SKU"
                )
                result[sku] = result.get(sku, 0) + link["metadata"]["quantity"]
        return result

    def notes_of(self, lead_id):
        return [note for note in self.notes if note["entity_id"] == lead_id]

    # --- обработка запросов ----------------------------------------------------------------
    def __call__(self, request):
        with self.lock:
            self.requests.append((request.method, request.path))
            now = time.monotonic()
            self.arrivals.append(now)
            while self.arrivals and now - self.arrivals[0] >= 1.0:
                self.arrivals.popleft()
            if len(self.arrivals) > self.rate_limit:
                self.throttled += 1
                response = _problem(429, "Too Many Requests")
                response.headers["Retry-After"] = "1"
                return response
        if request.path == "/oauth2/access_token":
            return self._oauth(request)
        if self.search_delay and request.path == "/api/v4/contacts" and request.method == "GET":
            time.sleep(self.search_delay)
        with self.lock:
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            valid = token in self.long_lived or self.access.get(token, 0) > time.time()
            if not valid:
                return _problem(401, "Unauthorized", "Токен недействителен")
            if self.down:
                return _problem(503, "Service Unavailable")
            if self.fail:
                status = self.fail.popleft()
                response = _problem(status, "Error")
                if status == 429:
                    response.headers["Retry-After"] = "1"
                return response
            return self._route(request)

    def _oauth(self, request):
        document = request.get_json(silent=True) or {}
        if self.token_delay:
            time.sleep(self.token_delay)
        with self.lock:
            if document.get("client_id") != self.client_id or document.get("client_secret") != self.client_secret:
                self.grant_failures.append("client")
                return _problem(401, "Unauthorized", "Неверный client_id или client_secret")
            grant = document.get("grant_type")
            if grant == "authorization_code" and document.get("code") in self.codes:
                self.codes.discard(document["code"])
            elif grant == "refresh_token" and document.get("refresh_token") in self.refresh_tokens:
                # Токен обновления одноразовый: второй запрос с ним получит отказ.
                self.refresh_tokens.discard(document["refresh_token"])
            else:
                self.grant_failures.append(grant)
                return _problem(400, "Bad Request", "Token has been revoked", hint="Token has been revoked")
            self.grants.append(grant)
            access, refresh = self.token_issue()
            return _json(
                {
                    "token_type": "Bearer",
                    "expires_in": self.expires_in,
                    "access_token": access,
                    "refresh_token": refresh,
                }
            )

    def _route(self, request):
        path, method = request.path, request.method
        if path == "/api/v4/account" and method == "GET":
            return _json({"id": self.account_id, "name": "Мой магазин", "subdomain": self.subdomain})
        match = re.fullmatch(r"/api/v4/leads/pipelines/(\d+)", path)
        if match and method == "GET":
            pipeline = self.pipelines.get(int(match[1]))
            return _json(pipeline) if pipeline else _problem(404, "Not Found")
        match = re.fullmatch(r"/api/v4/users/(\d+)", path)
        if match and method == "GET":
            user = self.users.get(int(match[1]))
            return _json(user) if user else _problem(404, "Not Found")
        if path == "/api/v4/contacts" and method == "GET":
            return self._list("contacts", self._search(self.contacts.values(), request.args.get("query", "")))
        if path == "/api/v4/contacts" and method == "POST":
            return self._contacts_create(request.get_json())
        match = re.fullmatch(r"/api/v4/contacts/(\d+)", path)
        if match and method == "GET":
            contact = self.contacts.get(int(match[1]))
            return _json(contact) if contact else _problem(404, "Not Found")
        if match and method == "PATCH":
            contact = self.contacts.get(int(match[1]))
            if contact is None:
                return _problem(404, "Not Found")
            changes = request.get_json()
            if "name" in changes:
                contact["name"] = changes["name"]
            if changes.get("custom_fields_values"):
                # Как в amoCRM: переданное поле заменяет все свои значения.
                by_code = {field["field_code"]: field for field in contact.get("custom_fields_values") or []}
                by_code.update({field["field_code"]: field for field in changes["custom_fields_values"]})
                contact["custom_fields_values"] = list(by_code.values())
            return _json({"id": contact["id"]})
        if path == "/api/v4/catalogs" and method == "GET":
            return self._list("catalogs", self.catalogs.values())
        match = re.fullmatch(r"/api/v4/catalogs/(\d+)", path)
        if match and method == "GET":
            found = self.catalogs.get(int(match[1]))
            return _json(found) if found else _problem(404, "Not Found")
        match = re.fullmatch(r"/api/v4/catalogs/(\d+)/elements", path)
        if match and int(match[1]) not in self.catalogs:
            return _problem(404, "Not Found")
        if match and method == "GET":
            elements = [item for item in self.elements.values() if item["catalog_id"] == int(match[1])]
            return self._list("elements", self._search(elements, request.args.get("query", "")))
        if match and method == "POST":
            return self._elements_create(int(match[1]), request.get_json())
        match = re.fullmatch(r"/api/v4/leads/(\d+)/links", path)
        if match and method == "GET":
            lead = self.leads.get(int(match[1]))
            if lead is None:
                return _problem(404, "Not Found")
            contacts = [
                {"to_entity_id": item["id"], "to_entity_type": "contacts", "metadata": {"main_contact": True}}
                for item in lead["_embedded"]["contacts"]
            ]
            return self._list("links", contacts + self.links.get(lead["id"], []))
        match = re.fullmatch(r"/api/v4/leads/(\d+)/link", path)
        if match and method == "POST":
            return self._link(int(match[1]), request.get_json())
        if path == "/api/v4/leads" and method == "GET":
            return self._leads_list(request)
        if path == "/api/v4/leads" and method == "POST":
            created = [self._lead_create(item) for item in request.get_json()]
            return _json({"_embedded": {"leads": [{"id": lead["id"], "request_id": "0"} for lead in created]}})
        if path == "/api/v4/leads/complex" and method == "POST":
            return self._complex(request.get_json())
        match = re.fullmatch(r"/api/v4/leads/(\d+)", path)
        if match and method == "GET":
            lead = self.leads.get(int(match[1]))
            return _json(lead) if lead else _problem(404, "Not Found")
        if match and method == "PATCH":
            lead = self.leads.get(int(match[1]))
            if lead is None:
                return _problem(404, "Not Found")
            changes = request.get_json()
            for key in ("status_id", "pipeline_id", "price", "responsible_user_id"):
                if key in changes:
                    lead[key] = changes[key]
            if "custom_fields_values" in changes:
                by_id = {field["field_id"]: field for field in lead.get("custom_fields_values") or []}
                by_id.update({field["field_id"]: field for field in changes["custom_fields_values"]})
                lead["custom_fields_values"] = list(by_id.values())
            lead["updated_at"] = int(time.time())
            return _json({"id": lead["id"], "updated_at": lead["updated_at"]})
        if path == "/api/v4/leads/notes" and method == "POST":
            added = []
            for item in request.get_json():
                note = {
                    "id": next(self._ids),
                    "entity_id": item["entity_id"],
                    "note_type": item["note_type"],
                    "params": item.get("params") or {},
                }
                self.notes.append(note)
                added.append({"id": note["id"], "entity_id": note["entity_id"]})
            return _json({"_embedded": {"notes": added}})
        match = re.fullmatch(r"/api/v4/leads/(\d+)/notes", path)
        if match and method == "GET":
            kind = request.args.get("filter[note_type]")
            found = [note for note in self.notes_of(int(match[1])) if kind is None or note["note_type"] == kind]
            return self._list("notes", found)
        if path == "/api/v4/leads/unsorted/forms" and method == "POST":
            return self._unsorted(request.get_json())
        return _problem(404, "Not Found", f"{method} {path}")

    def _list(self, name, items):
        items = list(items)
        if not items:
            return Response(status=204)
        return _json({"_page": 1, "_links": {}, "_embedded": {name: items}})

    def _search(self, items, query):
        query = query.strip().lower()
        if not query:
            return list(items)
        found = []
        for item in items:
            texts = [str(item.get("name", "")).lower()]
            for field in item.get("custom_fields_values") or ():
                for value in field.get("values") or ():
                    texts.append(str(value.get("value", "")).lower())
                    if field.get("field_code") == "PHONE":
                        texts.append(_digits(value.get("value", "")))
            if any(query in text for text in texts):
                found.append(item)
        return found

    def _leads_list(self, request):
        leads = list(self.leads.values())
        ids = request.args.getlist("filter[id][]")
        if ids:
            leads = [lead for lead in leads if str(lead["id"]) in ids]
        if request.args.get("filter[pipeline_id]"):
            leads = [lead for lead in leads if str(lead["pipeline_id"]) == request.args["filter[pipeline_id]"]]
        if request.args.get("filter[updated_at][from]"):
            since = int(request.args["filter[updated_at][from]"])
            leads = [lead for lead in leads if lead["updated_at"] >= since]
        leads = self._search(leads, request.args.get("query", ""))
        limit, page = int(request.args.get("limit", 50)), int(request.args.get("page", 1))
        return self._list("leads", leads[(page - 1) * limit : page * limit])

    def _contacts_create(self, items):
        if len(items) > 50:
            return _problem(400, "Bad Request", "Не больше 50 сущностей за запрос")
        created = []
        for item in items:
            contact_id = next(self._ids)
            self.contacts[contact_id] = {"id": contact_id, **{k: v for k, v in item.items() if k != "request_id"}}
            created.append({"id": contact_id, "request_id": item.get("request_id", "0")})
        return _json({"_embedded": {"contacts": created}})

    def _elements_create(self, catalog_id, items):
        if len(items) > 50:
            return _problem(400, "Bad Request", "Не больше 50 сущностей за запрос")
        created = []
        for item in items:
            element_id = next(self._ids)
            self.elements[element_id] = {
                "id": element_id,
                "catalog_id": catalog_id,
                "name": item["name"],
                "custom_fields_values": item.get("custom_fields_values") or [],
            }
            created.append({"id": element_id, "catalog_id": catalog_id, "request_id": item.get("request_id", "0")})
        return _json({"_embedded": {"elements": created}})

    def _link(self, lead_id, items):
        if lead_id not in self.leads:
            return _problem(404, "Not Found")
        if len(items) > 50:
            return _problem(400, "Bad Request", "Не больше 50 сущностей за запрос")
        linked = []
        for item in items:
            if item.get("to_entity_type") != "catalog_elements" or item["to_entity_id"] not in self.elements:
                return _problem(400, "Bad Request", "Неизвестная сущность")
            metadata = item.get("metadata") or {}
            if self.elements[item["to_entity_id"]]["catalog_id"] != metadata.get("catalog_id"):
                return _problem(400, "Bad Request", "catalog_id не совпадает")
            link = {"to_entity_id": item["to_entity_id"], "to_entity_type": "catalog_elements", "metadata": metadata}
            self.links.setdefault(lead_id, []).append(link)
            linked.append({"entity_id": lead_id, "entity_type": "leads", **link})
        return _json({"_total_items": len(linked), "_embedded": {"links": linked}})

    def _lead_create(self, item):
        lead_id = next(self._ids)
        embedded = item.get("_embedded") or {}
        lead = {
            "id": lead_id,
            "name": item.get("name", ""),
            "price": item.get("price", 0),
            "pipeline_id": item.get("pipeline_id", PIPELINE_ID),
            "status_id": item.get("status_id", STAGE_NEW),
            "responsible_user_id": item.get("responsible_user_id", MANAGER_ID),
            "custom_fields_values": item.get("custom_fields_values"),
            "updated_at": int(time.time()),
            "_embedded": {
                "tags": embedded.get("tags") or [],
                "contacts": [{"id": contact["id"]} for contact in embedded.get("contacts") or [] if "id" in contact],
            },
        }
        self.leads[lead_id] = lead
        return lead

    def _complex(self, items):
        answer = []
        for item in items:
            embedded = item.get("_embedded") or {}
            contacts = embedded.get("contacts") or []
            contact_id = None
            if contacts:
                contact_id = next(self._ids)
                self.contacts[contact_id] = {"id": contact_id, **contacts[0]}
            lead = self._lead_create({**item, "_embedded": {"tags": embedded.get("tags")}})
            if contact_id:
                lead["_embedded"]["contacts"] = [{"id": contact_id}]
            answer.append(
                {
                    "id": lead["id"],
                    "contact_id": contact_id,
                    "company_id": None,
                    "request_id": [item.get("request_id", "0")],
                    "merged": False,
                }
            )
        return _json(answer)

    def _unsorted(self, items):
        created = []
        for item in items:
            lead = self._lead_create(
                {**item["_embedded"]["leads"][0], "pipeline_id": item.get("pipeline_id", PIPELINE_ID)}
            )
            contact_id = next(self._ids)
            self.contacts[contact_id] = {"id": contact_id, **item["_embedded"]["contacts"][0]}
            record = {
                "uid": f"uid-{lead['id']}",
                "source_uid": item.get("source_uid"),
                "metadata": item.get("metadata"),
                "_embedded": {"leads": [{"id": lead["id"]}], "contacts": [{"id": contact_id}]},
            }
            self.unsorted.append({**record, "request": item})
            created.append(record)
        return _json({"_total_items": len(created), "_embedded": {"unsorted": created}})
