"""Помощники тестов админки: данные формы со страницы, как их отправил бы браузер."""

import json
import re
from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = form_id is None
        self.depth = 0
        self.data = {}
        self._select = None
        self._select_multiple = False
        self._textarea = None
        self._option_value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.form_id is not None and attrs.get("id") == self.form_id:
                self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.data.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = name
            self._select_multiple = "multiple" in attrs
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            if "selected" in attrs:
                self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form" and self.form_id is not None:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(response, form_id=None):
    """Вернуть поля формы страницы (без отключённых) как словарь списков для client.post.

    Шаблоны пустых строк formset'ов (<template>) Wagtail держит вне полей формы с префиксом
    __prefix__; такие поля отбрасываются.
    """
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    data = {name: values for name, values in parser.data.items() if "__prefix__" not in name}
    return {name: values if len(values) != 1 else values[0] for name, values in data.items()}


def menu_labels(client):
    """Вернуть подписи меню боковой панели (с подменю) так, как их получит браузер."""
    page = client.get("/admin/").content.decode()
    props = json.loads(
        re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', page, re.S)[1]
    )
    labels = set()

    def walk(node):
        if isinstance(node, dict):
            if "label" in node and isinstance(node["label"], str):
                labels.add(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return labels
