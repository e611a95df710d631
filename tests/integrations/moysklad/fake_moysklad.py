"""Фейковый МойСклад (JSON API 1.2) для тестов и замера: сущности в памяти, как описывает спецификация.

Умеет: Bearer-токен (неверный — 401 с JSON ошибки МоегоСклада, код 1056); обязательный
``Accept-Encoding: gzip`` (без него — 415 с пустым телом) и ответы gzip; 45 запросов за 3 с
(скользящее окно; сверх — 429 с кодом 1049 и заголовками ``X-Lognex-Retry-After``,
``X-RateLimit-*``) и не больше 5 запросов одновременно (429, код 1073); листание
``limit``/``offset`` (до 1000, ``expand`` — только при limit ≤ 100); фильтры ``updated>=``,
``archived``, ``externalCode``, поиск ``search``; группы, товары, модификации, услуги, комплекты,
единицы, юрлица, склады, контрагенты, заказы покупателей со статусами, входящие платежи,
вебхуки и вебхуки остатков; картинки с ``downloadHref``; отчёты ``/report/stock/bystore``
и ``/report/stock/bystore/current``. Вебхуки «отправляет» :meth:`FakeMoysklad.webhooks_send`
через переданную функцию (тест шлёт их в наш адрес). ``latency`` — задержка каждого ответа.
"""

import gzip
import io
import itertools
import json
import threading
import time
import uuid
from collections import deque
from datetime import datetime
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from werkzeug import Response

MSK = ZoneInfo("Europe/Moscow")
RATE_REQUESTS = 45
RATE_WINDOW = 3.0
PARALLEL = 5
TOKEN = "ms-token-1"
ENTITY_TYPES = (
    "productfolder",
    "product",
    "variant",
    "service",
    "bundle",
    "uom",
    "organization",
    "store",
    "counterparty",
    "customerorder",
    "paymentin",
    "webhook",
    "webhookstock",
)
ASSORTMENT_TYPES = ("product", "variant", "service", "bundle")


def png_bytes(color=(200, 30, 30)):
    """Маленькая настоящая картинка PNG (Wagtail её прочтёт)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(buffer, format="PNG")
    return buffer.getvalue()


def now_text():
    return datetime.now(MSK).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


class FakeMoysklad:
    def __init__(self, *, base="http://127.0.0.1/api/remap/1.2", token=TOKEN, latency=0.0, id_seed=0):
        self.lock = threading.RLock()
        self.base = base.rstrip("/")
        self.tokens = {token}
        self.latency = latency
        self.entities = {kind: {} for kind in ENTITY_TYPES}
        self.images = {}  # id товара или модификации → [id картинки]
        self.image_files = {}  # id картинки → (filename, bytes)
        self.stock = {}  # (id ассортимента, id склада) → {"stock": n, "reserve": n, "changed": time}
        self.states = {}
        self.price_types = {}
        self.arrivals = deque()
        self.in_flight = 0
        self.throttled = 0
        self.parallel_rejected = 0
        self.max_in_flight = 0
        self.requests = []  # (метод, путь, query)
        self.downloads = 0
        self.create_delay = {}  # тип → секунды: пауза после создания, до ответа (воркер умирает тут)
        self.create_started = threading.Event()  # создание с паузой началось
        self.down = False  # весь МойСклад отвечает 503
        self.pending_hooks = []  # (entityType, action, href)
        # id_seed — другой аккаунт: свои UUID (замер в той же базе не встречает прежних id).
        self._ids = itertools.count(1 + (id_seed << 40))
        self._seed()

    # --- справочники -----------------------------------------------------------------------
    def _id(self):
        return str(uuid.UUID(int=next(self._ids) + (1 << 100)))

    def meta(self, kind, object_id, **extra):
        return {
            "meta": {
                "href": f"{self.base}/entity/{kind}/{object_id}",
                "type": kind,
                "mediaType": "application/json",
                **extra,
            }
        }

    def _seed(self):
        self.retail = self.price_type_add("Цена продажи")
        self.wholesale = self.price_type_add("Оптовая")
        self.organization = self._put("organization", {"name": "ООО Ромашка"})["id"]
        self.store_main = self._put("store", {"name": "Основной склад"})["id"]
        self.store_spb = self._put("store", {"name": "Склад СПб"})["id"]
        self.uom_pcs = self._put("uom", {"name": "шт", "code": "796"})["id"]
        for name in ("Новый", "Подтвержден", "Собран", "Отгружен", "Отменен"):
            state_id = self._id()
            self.states[state_id] = {
                "id": state_id,
                "name": name,
                "meta": {
                    "href": f"{self.base}/entity/customerorder/metadata/states/{state_id}",
                    "metadataHref": f"{self.base}/entity/customerorder/metadata",
                    "type": "state",
                    "mediaType": "application/json",
                },
            }

    def state_id(self, name):
        return next(state_id for state_id, state in self.states.items() if state["name"] == name)

    def price_type_add(self, name):
        price_type_id = self._id()
        self.price_types[price_type_id] = name
        return price_type_id

    def _put(self, kind, document, *, hook=True):
        with self.lock:
            object_id = document.get("id") or self._id()
            created = object_id not in self.entities[kind]
            row = {**self.entities[kind].get(object_id, {}), **document}
            row.update(self.meta(kind, object_id))
            row["id"] = object_id
            row["updated"] = now_text()
            row.setdefault("archived", False)
            self.entities[kind][object_id] = row
            if hook:
                self.pending_hooks.append((kind, "CREATE" if created else "UPDATE", row["meta"]["href"]))
            return row

    def _prices(self, prices):
        return [
            {
                "value": value,
                "currency": self.meta("currency", "rub"),
                "priceType": {
                    **self.meta("pricetype", price_type_id),
                    "id": price_type_id,
                    "name": self.price_types[price_type_id],
                    "externalCode": price_type_id[:8],
                },
            }
            for price_type_id, value in (prices or {}).items()
        ]

    # --- подготовка данных теста (как если бы их завели в МоёмСкладе) ------------------------
    def folder_add(self, name, *, parent=None):
        document = {"name": name, "pathName": ""}
        if parent:
            parent_row = self.entities["productfolder"][parent]
            document["productFolder"] = self.meta("productfolder", parent)
            document["pathName"] = "/".join(part for part in (parent_row["pathName"], parent_row["name"]) if part)
        return self._put("productfolder", document)["id"]

    def product_add(self, name, *, folder=None, article="", code="", prices=None, archived=False, ean13="",
                    weight=0, volume=0, description=None, images=(), attributes=None):  # fmt: skip
        document = {
            "name": name,
            "article": article,
            "code": code,
            "archived": archived,
            "salePrices": self._prices(prices),
            "barcodes": [{"ean13": ean13}] if ean13 else [],
            "weight": weight,
            "volume": volume,
            "uom": self.meta("uom", self.uom_pcs),
            "variantsCount": 0,
            "attributes": attributes or [],
            "paymentItemType": "GOOD",
        }
        if description is not None:
            document["description"] = description
        if folder:
            document["productFolder"] = self.meta("productfolder", folder)
            folder_row = self.entities["productfolder"][folder]
            document["pathName"] = "/".join(p for p in (folder_row["pathName"], folder_row["name"]) if p)
        row = self._put("product", document)
        with self.lock:
            self.images[row["id"]] = []
            for index, content in enumerate(images):
                self.image_add(row["id"], content, filename=f"{row['code'] or row['id'][:8]}-{index}.png")
        return row["id"]

    def image_add(self, owner_id, content, *, filename):
        """Добавить картинку товару или модификации (``owner_id``)."""
        with self.lock:
            # Одинаковое имя файла и содержимое — один id (как в МоёмСкладе).
            image_id = (
                next((key for key, value in self.image_files.items() if value == (filename, content)), None)
                or self._id()
            )
            self.image_files[image_id] = (filename, content)
            self.images.setdefault(owner_id, []).append(image_id)
            self._images_meta(owner_id)
            return image_id

    def image_remove(self, owner_id, image_id):
        """Убрать картинку у товара или модификации (как в карточке МоегоСклада: ``updated`` сдвигается)."""
        with self.lock:
            self.images[owner_id].remove(image_id)
            self._images_meta(owner_id)
            self._put(self._owner_kind(owner_id), {"id": owner_id})

    def _owner_kind(self, owner_id):
        return "variant" if owner_id in self.entities["variant"] else "product"

    def _images_meta(self, owner_id):
        kind = self._owner_kind(owner_id)
        self.entities[kind][owner_id]["images"] = {
            "meta": {
                "href": f"{self.base}/entity/{kind}/{owner_id}/images",
                "type": "image",
                "mediaType": "application/json",
                "size": len(self.images.get(owner_id, [])),
                "limit": 1000,
                "offset": 0,
            }
        }

    def variant_add(self, product_id, *, characteristics, prices=None, code="", archived=False, ean13="", images=()):
        with self.lock:
            product = self.entities["product"][product_id]
            row = self._put(
                "variant",
                {
                    "name": f"{product['name']} ({', '.join(characteristics.values())})",
                    "code": code,
                    "archived": archived,
                    "product": self.meta("product", product_id),
                    "characteristics": [
                        {
                            **self.meta("attributemetadata", self._char_id(name)),
                            "id": self._char_id(name),
                            "name": name,
                            "value": value,
                        }
                        for name, value in characteristics.items()
                    ],
                    "salePrices": self._prices(prices),
                    "barcodes": [{"ean13": ean13}] if ean13 else [],
                },
            )
            product["variantsCount"] = int(product.get("variantsCount") or 0) + 1
            self.images[row["id"]] = []
            self._images_meta(row["id"])
            for index, content in enumerate(images):
                self.image_add(row["id"], content, filename=f"{code or row['id'][:8]}-{index}.png")
            return row["id"]

    def _char_id(self, name):
        if not hasattr(self, "_chars"):
            self._chars = {}
        if name not in self._chars:
            self._chars[name] = self._id()
        return self._chars[name]

    def service_add(self, name, *, prices=None):
        return self._put("service", {"name": name, "salePrices": self._prices(prices)})["id"]

    def bundle_add(self, name, *, prices=None):
        return self._put("bundle", {"name": name, "salePrices": self._prices(prices), "components": {}})["id"]

    def change(self, kind, object_id, **fields):
        """Изменить сущность «в интерфейсе МоегоСклада» (updated сдвигается, вебхук копится)."""
        if "prices" in fields:
            fields["salePrices"] = self._prices(fields.pop("prices"))
        return self._put(kind, {"id": object_id, **fields})

    def delete(self, kind, object_id):
        with self.lock:
            row = self.entities[kind].pop(object_id)
            self.pending_hooks.append((kind, "DELETE", row["meta"]["href"]))

    def age(self, *, seconds):
        """Сдвинуть ``updated`` всех сущностей в прошлое (аккаунт «заведён давно»)."""
        from datetime import timedelta

        with self.lock:
            for rows in self.entities.values():
                for row in rows.values():
                    moment = datetime.strptime(row["updated"], "%Y-%m-%d %H:%M:%S.%f") - timedelta(seconds=seconds)
                    row["updated"] = moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
            for value in self.stock.values():
                value["changed"] -= seconds

    def stock_set(self, assortment_id, store_id, stock, reserve=0):
        with self.lock:
            self.stock[(assortment_id, store_id)] = {"stock": stock, "reserve": reserve, "changed": time.time()}

    def webhooks_send(self, send):
        """Отправить накопленные события на зарегистрированные вебхуки: ``send(url, body, request_id)``."""
        with self.lock:
            pending, self.pending_hooks = self.pending_hooks, []
            hooks = list(self.entities["webhook"].values())
        sent = 0
        for kind, action, href in pending:
            for hook in hooks:
                if hook["entityType"] == kind and hook["action"] == action and hook.get("enabled", True):
                    body = {
                        "auditContext": {
                            "meta": {"type": "audit", "href": f"{self.base}/audit/{self._id()}"},
                            "uid": "admin@romashka",
                            "moment": now_text()[:19],
                        },
                        "events": [{"meta": {"type": kind, "href": href}, "action": action, "accountId": "acc-1"}],
                    }
                    send(hook["url"], json.dumps(body, ensure_ascii=False), str(uuid.uuid4()))
                    sent += 1
        return sent

    def stock_webhook_body(self, since_text):
        return json.dumps(
            {
                "accountId": "acc-1",
                "stockType": "stock",
                "reportType": "bystore",
                "reportUrl": f"{self.base}/report/stock/bystore/current?changedSince={since_text}",
            }
        )

    def count(self, method=None, prefix=None):
        return len(
            [
                item
                for item in self.requests
                if (method is None or item[0] == method) and (prefix is None or item[1].startswith(prefix))
            ]
        )

    # --- обработка запросов ----------------------------------------------------------------
    def _respond(self, document, status=200, headers=None):
        if document is None:
            response = Response(b"", status=status)
        else:
            raw = json.dumps(document, ensure_ascii=False).encode()
            response = Response(gzip.compress(raw, compresslevel=1), status=status, content_type="application/json")
            response.headers["Content-Encoding"] = "gzip"
        for key, value in (headers or {}).items():
            response.headers[key] = value
        return response

    def _error(self, status, code, text, headers=None):
        body = {
            "errors": [
                {"error": text, "code": code, "moreInfo": f"https://dev.moysklad.ru/doc/api/remap/1.2/#error_{code}"}
            ]
        }
        return self._respond(body, status=status, headers=headers)

    def _rate_headers(self, remaining, reset_ms):
        return {
            "X-RateLimit-Limit": str(RATE_REQUESTS),
            "X-RateLimit-Remaining": str(max(remaining, 0)),
            "X-Lognex-Retry-TimeInterval": str(int(RATE_WINDOW * 1000)),
            "X-Lognex-Reset": str(reset_ms),
        }

    def __call__(self, request):
        with self.lock:
            self.requests.append((request.method, self._route_path(request.path), request.query_string.decode()))
            now = time.monotonic()
            while self.arrivals and now - self.arrivals[0] >= RATE_WINDOW:
                self.arrivals.popleft()
            if len(self.arrivals) >= RATE_REQUESTS:
                self.throttled += 1
                retry_ms = max(1, int((RATE_WINDOW - (now - self.arrivals[0])) * 1000))
                headers = {**self._rate_headers(0, retry_ms), "X-Lognex-Retry-After": str(retry_ms)}
                return self._error(429, 1049, "Превышено ограничение на количество запросов в единицу времени", headers)
            if self.in_flight >= PARALLEL:
                self.parallel_rejected += 1
                return self._error(429, 1073, "Превышено ограничение на количество параллельных запросов",
                                   {"X-Lognex-Retry-After": "100"})  # fmt: skip
            self.arrivals.append(now)
            remaining = RATE_REQUESTS - len(self.arrivals)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.latency:
                time.sleep(self.latency)
            if "gzip" not in request.headers.get("Accept-Encoding", ""):
                return Response(b"", status=415)
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in self.tokens:
                return self._error(
                    401,
                    1056,
                    "Ошибка аутентификации: Неправильный пароль или имя пользователя или ключ авторизации",
                    {"X-Lognex-Auth": "-1", "X-Lognex-Auth-Message": "Invalid authorization key"},
                )
            if self.down:
                return self._error(503, 1000, "Сервис временно недоступен")
            response = self._route(request)
            for key, value in self._rate_headers(remaining, 0).items():
                response.headers.setdefault(key, value)
            return response
        finally:
            with self.lock:
                self.in_flight -= 1

    def _route_path(self, path):
        # Путь API — из base: второй аккаунт на том же сервере живёт под своим префиксом.
        prefix = urlsplit(self.base).path
        return path[len(prefix) :] if path.startswith(prefix) else path

    def _route(self, request):
        path = self._route_path(request.path).rstrip("/")
        parts = [part for part in path.split("/") if part]
        method = request.method
        if parts[:1] == ["download"] and len(parts) == 2:
            with self.lock:
                self.downloads += 1
                _filename, content = self.image_files[parts[1]]
            return Response(content, content_type="image/png")
        if parts[:3] == ["report", "stock", "bystore"]:
            return self._stock_report(request, current=parts[3:] == ["current"])
        if parts[:1] != ["entity"] or len(parts) < 2:
            return self._error(404, 1005, f"Неизвестный адрес {path}")
        kind = parts[1]
        if kind == "assortment":
            return self._list(request, [row for t in ASSORTMENT_TYPES for row in self.entities[t].values()])
        if kind not in self.entities:
            return self._error(404, 1005, f"Неизвестный тип сущности {kind}")
        if len(parts) == 2:
            if method == "GET":
                return self._list(request, list(self.entities[kind].values()))
            if method == "POST":
                return self._create(kind, request.get_json(force=True))
        if len(parts) == 4 and kind in ("product", "variant") and parts[3] == "images":
            if parts[2] not in self.entities[kind]:
                return self._error(404, 1021, f"Объект с идентификатором {parts[2]} не найден")
            return self._images(kind, parts[2])
        if len(parts) == 3:
            row = self.entities[kind].get(parts[2])
            if row is None:
                return self._error(404, 1021, f"Объект с идентификатором {parts[2]} не найден")
            if method == "GET":
                return self._respond(self._expand(row, request.args.get("expand", "")))
            if method == "PUT":
                document = request.get_json(force=True)
                return self._respond(self._put(kind, {**document, "id": parts[2]}, hook=False))
        return self._error(405, 1001, "Метод не поддерживается")

    def _expand(self, row, expand):
        row = dict(row)
        if "state" in expand.split(",") and row.get("state"):
            state_id = row["state"]["meta"]["href"].rsplit("/", 1)[-1]
            row["state"] = self.states[state_id]
        if "images" in expand.split(",") and row.get("images"):
            row["images"] = {**row["images"], "rows": self._image_rows(row["meta"]["type"], row["id"])}
        return row

    def _image_rows(self, kind, owner_id):
        rows = []
        for image_id in self.images.get(owner_id, []):
            filename, content = self.image_files[image_id]
            rows.append(
                {
                    "meta": {
                        "href": f"{self.base}/entity/{kind}/{owner_id}/images/{image_id}",
                        "type": "image",
                        "mediaType": "application/json",
                        "downloadHref": f"{self.base}/download/{image_id}",
                    },
                    "title": filename.rsplit(".", 1)[0],
                    "filename": filename,
                    "size": len(content),
                    "updated": now_text(),
                }
            )
        return rows

    def _images(self, kind, owner_id):
        rows = self._image_rows(kind, owner_id)
        return self._respond({"meta": {"size": len(rows), "limit": 1000, "offset": 0}, "rows": rows})

    def _create(self, kind, document):
        if kind == "customerorder":
            missing = [name for name in ("organization", "agent") if not document.get(name)]
            if missing:
                return self._error(412, 3000, f"Ошибка сохранения объекта: поле '{missing[0]}' не может быть пустым")
            for position in document.get("positions") or ():
                meta = (position.get("assortment") or {}).get("meta") or {}
                position_kind, position_id = meta.get("type"), meta.get("href", "").rsplit("/", 1)[-1]
                if position_kind not in ASSORTMENT_TYPES or position_id not in self.entities[position_kind]:
                    return self._error(
                        412, 3000, f"Ошибка сохранения объекта: позиция {position_kind} {position_id} не найдена"
                    )
            document.setdefault("state", {"meta": self.states[self.state_id("Новый")]["meta"]})
        if kind == "webhook":
            key = (document.get("entityType"), document.get("action"), document.get("url"))
            if any((row["entityType"], row["action"], row["url"]) == key for row in self.entities["webhook"].values()):
                return self._error(412, 30002, "Вебхук с такими параметрами уже существует")
            document.setdefault("enabled", True)
        row = self._put(kind, dict(document), hook=kind not in ("webhook", "webhookstock"))
        delay = self.create_delay.pop(kind, None)
        if delay:
            self.create_started.set()
            time.sleep(delay)
        return self._respond(row)

    def _filters(self, request):
        conditions = []
        for part in unquote(request.args.get("filter", "")).split(";"):
            for operator in (">=", "<=", "!=", "="):
                if operator in part:
                    name, value = part.split(operator, 1)
                    conditions.append((name, operator, value))
                    break
        return conditions

    def _matches(self, row, conditions):
        by_name = {}
        for name, operator, value in conditions:
            by_name.setdefault(name, []).append((operator, value))
        archived = by_name.pop("archived", [("=", "false")])
        if not any(str(row.get("archived", False)).lower() == value for _op, value in archived):
            return False
        for name, items in by_name.items():
            if name == "productid":  # фильтр модификаций по товару (не поле, а параметр фильтра)
                field = (row.get("product") or {}).get("meta", {}).get("href", "").rsplit("/", 1)[-1]
            else:
                field = str(row.get(name) or "")
            checks = {"=": field.__eq__, ">=": field.__ge__, "!=": field.__ne__}
            if not any(checks.get(operator, lambda _value: False)(value) for operator, value in items):
                return False
        return True

    def _list(self, request, rows):
        try:
            limit = int(request.args.get("limit", 1000))
            offset = int(request.args.get("offset", 0))
        except ValueError:
            return self._error(400, 1002, "Неверный параметр limit/offset")
        if limit > 1000:
            return self._error(400, 1002, "Параметр limit не может быть больше 1000")
        expand = request.args.get("expand", "")
        if expand and limit > 100:
            return self._error(400, 1002, "expand допустим только при limit не больше 100")
        conditions = self._filters(request)
        search = request.args.get("search", "").lower()
        selected = [row for row in rows if self._matches(row, conditions)]
        if search:
            selected = [
                row
                for row in selected
                if search in "".join(ch for ch in str(row.get("phone", "")) if ch.isdigit())
                or search in str(row.get("email", "")).lower()
                or search in str(row.get("name", "")).lower()
            ]
        page = [self._expand(row, expand) for row in selected[offset : offset + limit]]
        meta = {"href": f"{self.base}{request.path}", "size": len(selected), "limit": limit, "offset": offset}
        if offset + limit < len(selected):
            meta["nextHref"] = f"{self.base}{request.path}?limit={limit}&offset={offset + limit}"
        return self._respond({"context": {}, "meta": meta, "rows": page})

    def _stock_report(self, request, *, current):
        with self.lock:
            items = list(self.stock.items())
        if current:
            since_text = request.args.get("changedSince", "")
            since = (
                datetime.strptime(since_text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=MSK).timestamp() if since_text else 0
            )
            kind = request.args.get("stockType", "stock")
            rows = []
            for (assortment_id, store_id), value in items:
                if value["changed"] < since:
                    continue
                number = value["stock"] - value["reserve"] if kind == "freeStock" else value[kind]
                rows.append({"assortmentId": assortment_id, "storeId": store_id, "stock": number})
            return self._respond(rows)
        by_assortment = {}
        for (assortment_id, store_id), value in items:
            by_assortment.setdefault(assortment_id, []).append((store_id, value))
        rows = []
        for assortment_id, stores in by_assortment.items():
            kind = "variant" if assortment_id in self.entities["variant"] else "product"
            rows.append(
                {
                    **self.meta(kind, assortment_id),
                    "stockByStore": [
                        {
                            **self.meta("store", store_id),
                            "name": self.entities["store"][store_id]["name"],
                            "stock": value["stock"],
                            "reserve": value["reserve"],
                            "inTransit": 0,
                        }
                        for store_id, value in stores
                    ],
                }
            )
        limit = int(request.args.get("limit", 1000))
        offset = int(request.args.get("offset", 0))
        meta = {"size": len(rows), "limit": limit, "offset": offset}
        if offset + limit < len(rows):
            meta["nextHref"] = f"{self.base}/report/stock/bystore?limit={limit}&offset={offset + limit}"
        return self._respond({"meta": meta, "rows": rows[offset : offset + limit]})
