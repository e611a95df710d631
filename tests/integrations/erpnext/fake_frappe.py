"""Фейковый сайт ERPNext (Frappe) для тестов: REST API в форме, которую описывает спецификация (§4).

Умеет: token-авторизацию (``Authorization: token key:secret``, иначе 401 AuthenticationError),
``GET /api/resource/<DocType>`` со списком ``fields`` (или ``["*"]``), ``filters`` (список
``[поле, оператор, значение]``, четырёхэлементная форма и словарь), ``order_by``,
``limit_start``/``limit_page_length`` (по умолчанию 20, 0 — все), дочерние таблицы только с
``parent=<родитель>``; ``GET/POST/PUT/DELETE`` документа (404 DoesNotExistError, 417 ValidationError
с ``_server_messages``, закодированным дважды); Sales Order с docstatus 0/1/2 и статусами;
«Deleted Document» при удалении; ``/api/method/frappe.auth.get_logged_user``; картинки ``/files/``;
подписанные вебхуки (base64 HMAC-SHA256 тела, как Frappe). По очереди ``fail`` — ответы 5xx.
"""

import base64
import hashlib
import hmac
import io
import itertools
import json
import threading
from collections import deque
from datetime import datetime, timedelta

from PIL import Image
from werkzeug import Response

USER = "shop-api@erp.example.ru"
CHILD_TABLES = {"Item Variant Attribute": ("Item", "attributes"), "Item Barcode": ("Item", "barcodes")}


def _json(document, status=200):
    return Response(
        json.dumps(document, ensure_ascii=False, default=str), status=status, content_type="application/json"
    )


def _error(status, exc_type, message):
    # Так отвечает Frappe: тип исключения и _server_messages — JSON-строка списка JSON-строк.
    server_messages = json.dumps([json.dumps({"message": message, "indicator": "red", "raise_exception": 1})])
    return _json(
        {
            "exc_type": exc_type,
            "exception": f"frappe.exceptions.{exc_type}: {message}",
            "_server_messages": server_messages,
        },
        status=status,
    )


def png_bytes(color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, format="PNG")
    return buffer.getvalue()


def frappe_webhook_body(data):
    """Тело вебхука так, как его шлёт Frappe: ``json.dumps`` с разделителями по умолчанию и ASCII."""
    return json.dumps(data).encode()


def frappe_sign(body, secret):
    """Подпись Frappe: base64(HMAC-SHA256(секрет, тело))."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _compare(value, operator, operand):
    if operator == "is":
        present = value not in (None, "", 0) if not isinstance(value, int) else value is not None
        return present if operand == "set" else not present
    if operator in ("in", "not in"):
        items = operand if isinstance(operand, list) else [part.strip() for part in str(operand).split(",")]
        return (value in items) == (operator == "in")
    if operator == "like":
        return str(operand).strip("%").lower() in str(value or "").lower()
    if operator in ("=", "!="):
        equal = str(value) == str(operand) if not isinstance(value, (int, float)) else value == float(operand)
        return equal == (operator == "=")
    if value is None:
        return False
    if isinstance(value, (int, float)):
        operand = float(operand)
    return {">": value > operand, ">=": value >= operand, "<": value < operand, "<=": value <= operand}[operator]


class FakeFrappe:
    def __init__(self, *, api_key="erp-key", api_secret="erp-secret"):
        self.lock = threading.RLock()
        self.api_key = api_key
        self.api_secret = api_secret
        self.docs = {}  # DocType → {name: документ}
        self.requests = []  # (метод, путь, параметры)
        self.fail = deque()  # статусы ответов следующим запросам к API
        self.forbidden = set()  # DocType, которые пользователю API читать нельзя (403)
        self.conflicts = 0  # столько следующих PUT ответят 417 TimestampMismatchError (документ правят)
        self.lose_next_insert = set()  # DocType: создать документ, но ответить 502 (ответ «потерялся»)
        self.images = {}  # путь /files/… → байты
        self.file_auth = []  # (путь, был ли заголовок Authorization) каждого запроса картинки
        self._clock = datetime(2026, 11, 1, 9, 0, 0)
        self._numbers = itertools.count(1)
        self.docs_put("Company", {"name": "ООО Магазин", "default_currency": "RUB"})
        for name in ("Москва - М", "Санкт-Петербург - М", "Склад брака - М"):
            self.docs_put("Warehouse", {"name": name})
        self.docs_put("Sales Taxes and Charges Template", {"name": "НДС 20% - М", "company": "ООО Магазин"})
        self.docs_put("Price List", {"name": "Розница", "currency": "RUB", "selling": 1})
        self.docs_put("Price List", {"name": "Export", "currency": "USD", "selling": 1})
        self.docs_put(
            "Item Group",
            {"name": "All Item Groups", "item_group_name": "All Item Groups", "is_group": 1, "parent_item_group": ""},
        )

    # --- подготовка данных ------------------------------------------------------------------
    def tick(self):
        """Следующее значение modified (как у Frappe: время сервера без зоны, с микросекундами)."""
        with self.lock:
            self._clock += timedelta(seconds=1)
            return self._clock.strftime("%Y-%m-%d %H:%M:%S.%f")

    def docs_put(self, doctype, document, *, modified=None):
        with self.lock:
            stamp = modified or self.tick()
            current = self.docs.setdefault(doctype, {}).get(document["name"])
            document = {
                "docstatus": 0,
                "creation": current["creation"] if current else stamp,
                **(current or {}),
                **document,
                "modified": stamp,
                "doctype": doctype,
            }
            self.docs[doctype][document["name"]] = document
            return document

    def group_add(self, name, parent="All Item Groups"):
        return self.docs_put(
            "Item Group", {"name": name, "item_group_name": name, "parent_item_group": parent, "is_group": 1}
        )

    def item_add(
        self,
        code,
        *,
        name=None,
        group="Products",
        variant_of=None,
        has_variants=0,
        attributes=(),
        barcodes=(),
        image=None,
        disabled=0,
        description=None,
        modified=None,
    ):
        document = {
            "name": code,
            "item_code": code,
            "item_name": name or code,
            "item_group": group,
            "has_variants": has_variants,
            "variant_of": variant_of,
            "disabled": disabled,
            "description": description,
            "image": image,
            "stock_uom": "Nos",
            "is_stock_item": 1,
            "attributes": [
                {"name": f"{code}-attr-{index}", "idx": index, "attribute": attribute, "attribute_value": value}
                for index, (attribute, value) in enumerate(attributes, start=1)
            ],
            "barcodes": [
                {"name": f"{code}-bc-{index}", "idx": index, "barcode": barcode, "barcode_type": "EAN"}
                for index, barcode in enumerate(barcodes, start=1)
            ],
        }
        return self.docs_put("Item", document, modified=modified)

    def item_update(self, code, **changes):
        with self.lock:
            return self.docs_put("Item", {**self.docs["Item"][code], **changes})

    def item_delete(self, code):
        with self.lock:
            self.docs["Item"].pop(code)
            self._deleted("Item", code)

    def _deleted(self, doctype, name):
        stamp = self.tick()
        number = next(self._numbers)
        self.docs_put(
            "Deleted Document",
            {"name": f"DEL-{number:05d}", "deleted_name": name, "deleted_doctype": doctype},
            modified=stamp,
        )

    def price_add(self, item_code, rate, *, price_list="Розница", currency="RUB", customer=None, valid_upto=None):
        name = f"IP-{item_code}-{price_list}"
        return self.docs_put(
            "Item Price",
            {
                "name": name,
                "item_code": item_code,
                "price_list": price_list,
                "price_list_rate": rate,
                "currency": currency,
                "selling": 1,
                "customer": customer,
                "valid_from": None,
                "valid_upto": valid_upto,
            },
        )

    def bin_set(self, item_code, warehouse, *, actual, reserved=0, projected=None):
        name = f"BIN-{item_code}-{warehouse}"
        return self.docs_put(
            "Bin",
            {
                "name": name,
                "item_code": item_code,
                "warehouse": warehouse,
                "actual_qty": actual,
                "reserved_qty": reserved,
                "projected_qty": actual - reserved if projected is None else projected,
            },
        )

    def sales_orders(self):
        return list(self.docs.get("Sales Order", {}).values())

    def sales_order_set_status(self, name, status, **changes):
        """Менеджер двигает заказ в ERPNext (отгрузка, закрытие)."""
        with self.lock:
            return self.docs_put("Sales Order", {**self.docs["Sales Order"][name], "status": status, **changes})

    def delivery_note_add(self, sales_order, *, status="To Bill"):
        with self.lock:
            number = next(self._numbers)
            order = self.docs["Sales Order"][sales_order]
            order.update({"per_delivered": 100, "status": "To Bill"})
            return self.docs_put(
                "Delivery Note",
                {
                    "name": f"MAT-DN-{number:05d}",
                    "docstatus": 1,
                    "status": status,
                    "customer": order["customer"],
                    "items": [{**item, "against_sales_order": sales_order} for item in order["items"]],
                },
            )

    def api_requests(self, method=None, path=None):
        return [
            item
            for item in self.requests
            if (method is None or item[0] == method) and (path is None or item[1] == path)
        ]

    # --- обработка запросов -------------------------------------------------------------------
    def __call__(self, request):
        with self.lock:
            self.requests.append((request.method, request.path, dict(request.args)))
            if request.path.startswith("/files/"):
                self.file_auth.append((request.path, "Authorization" in request.headers))
                if request.path not in self.images:
                    return _error(404, "DoesNotExistError", "File not found")
                return Response(self.images[request.path], content_type="image/png")
            if request.headers.get("Authorization") != f"token {self.api_key}:{self.api_secret}":
                return _error(401, "AuthenticationError", "Invalid token")
            if self.fail:
                return _error(self.fail.popleft(), "ServerError", "Internal Server Error")
            if request.path == "/api/method/frappe.auth.get_logged_user":
                return _json({"message": USER})
            if not request.path.startswith("/api/resource/"):
                return _error(404, "DoesNotExistError", "Not found")
            parts = request.path[len("/api/resource/") :].split("/", 1)
            doctype, name = parts[0], (parts[1] if len(parts) > 1 else None)
            if doctype in self.forbidden:
                return _error(403, "PermissionError", f"No permission for {doctype}")
            if name is None and request.method == "GET":
                return self._list(doctype, request)
            if name is None and request.method == "POST":
                return self._insert(doctype, request.get_json())
            document = self.docs.get(doctype, {}).get(name)
            if document is None:
                return _error(404, "DoesNotExistError", f"{doctype} {name} not found")
            if request.method == "GET":
                return _json({"data": document})
            if request.method == "PUT":
                if self.conflicts:
                    self.conflicts -= 1
                    return _error(417, "TimestampMismatchError", "Document has been modified after you have opened it")
                return self._update(doctype, document, request.get_json())
            if request.method == "DELETE":
                if document.get("docstatus") == 1:
                    return _error(417, "ValidationError", "Submitted document cannot be deleted")
                self.docs[doctype].pop(name)
                self._deleted(doctype, name)
                return _json({"message": "ok"})
            return _error(405, "ValidationError", "Method not allowed")

    def _rows(self, doctype, request):
        if doctype in CHILD_TABLES:
            parent_doctype, field = CHILD_TABLES[doctype]
            if request.args.get("parent") != parent_doctype:
                return None
            rows = []
            for parent in self.docs.get(parent_doctype, {}).values():
                for child in parent.get(field) or []:
                    rows.append(
                        {
                            **child,
                            "parent": parent["name"],
                            "parenttype": parent_doctype,
                            "modified": parent["modified"],
                        }
                    )
            return rows
        return list(self.docs.get(doctype, {}).values())

    def _list(self, doctype, request):
        rows = self._rows(doctype, request)
        if rows is None:
            return _error(403, "PermissionError", "Please specify a valid parent DocType")
        fields = json.loads(request.args.get("fields") or '["name"]')
        filters = json.loads(request.args.get("filters") or "[]")
        if isinstance(filters, dict):
            filters = [
                [key, "=", value] if not isinstance(value, list) else [key, *value] for key, value in filters.items()
            ]
        for condition in filters:
            if len(condition) == 4:
                condition = condition[1:]
            field, operator, operand = condition
            rows = [row for row in rows if _compare(row.get(field), operator, operand)]
        order_by = request.args.get("order_by") or "modified desc"
        for part in reversed([item.strip() for item in order_by.split(",")]):
            field, _sep, direction = part.partition(" ")
            rows.sort(
                key=lambda row: (row.get(field) is None, row.get(field) or ""),
                reverse=direction.strip().lower() == "desc",
            )
        start = int(request.args.get("limit_start") or 0)
        length = int(request.args.get("limit_page_length", 20) or 0)
        rows = rows[start : start + length] if length else rows[start:]
        if fields != ["*"]:
            rows = [{field: row.get(field) for field in fields} for row in rows]
        return _json({"data": rows})

    def _insert(self, doctype, document):
        if doctype == "Customer":
            name = document.get("customer_name") or f"CUST-{next(self._numbers)}"
            while name in self.docs.get("Customer", {}):
                name += "-1"
            return _json({"data": self.docs_put("Customer", {**document, "name": name})})
        if doctype == "Sales Order":
            return self._sales_order_insert(document)
        return _error(403, "PermissionError", f"Not permitted: {doctype}")

    def _sales_order_insert(self, document):
        for key in ("customer", "company", "delivery_date"):
            if not document.get(key):
                return _error(417, "MandatoryError", f"Value missing for Sales Order: {key}")
        if document["customer"] not in self.docs.get("Customer", {}):
            return _error(417, "LinkValidationError", f"Could not find Customer: {document['customer']}")
        if not document.get("items"):
            return _error(417, "ValidationError", "Items are required")
        for item in document["items"]:
            found = self.docs.get("Item", {}).get(item.get("item_code"))
            if found is None:
                return _error(417, "LinkValidationError", f"Could not find Row #1: Item Code: {item.get('item_code')}")
            if found.get("has_variants"):
                return _error(
                    417, "ValidationError", f"Item {found['name']} is a template, please select one of its variants"
                )
        number = next(self._numbers)
        name = f"SAL-ORD-2026-{number:05d}"
        docstatus = int(document.get("docstatus") or 0)
        total = sum(float(item["rate"]) * float(item["qty"]) for item in document["items"])
        saved = self.docs_put(
            "Sales Order",
            {
                **document,
                "name": name,
                "docstatus": docstatus,
                "status": "To Deliver and Bill" if docstatus == 1 else "Draft",
                "per_delivered": 0,
                "grand_total": total,
            },
        )
        if "Sales Order" in self.lose_next_insert:
            self.lose_next_insert.discard("Sales Order")
            return _error(502, "ServerError", "Bad Gateway")
        return _json({"data": saved})

    def _update(self, doctype, document, changes):
        changes = dict(changes or {})
        if doctype == "Sales Order" and "docstatus" in changes:
            wanted, current = int(changes["docstatus"]), int(document.get("docstatus") or 0)
            if wanted == 2:
                if current != 1:
                    return _error(417, "ValidationError", "Cannot cancel a document that is not submitted")
                if float(document.get("per_delivered") or 0) > 0:
                    return _error(
                        417,
                        "LinkExistsError",
                        f"Cannot cancel because submitted Delivery Note is linked with {document['name']}",
                    )
                changes["status"] = "Cancelled"
            elif wanted == 1 and current == 0:
                changes["status"] = "To Deliver and Bill"
        return _json({"data": self.docs_put(doctype, {**document, **changes})})
