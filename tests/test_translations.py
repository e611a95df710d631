"""Английский перевод: каталог полон, .mo совпадает с .po, API отвечает на языке запроса.

Исходные строки — русские; перевод живёт в locale/en/LC_MESSAGES/django.po и скомпилированном
django.mo (оба в git). Обновление — ``make messages``, см. docs/backend/index.md, «Переводы».
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from regions.registry import region_registry_invalidate
from tests.factories.regions import RegionFactory

EN_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = EN_DIR / "django.po"
MO_PATH = EN_DIR / "django.mo"
CURRENT = "/api/v1/regions/current"

# Подстановки, которые перевод обязан сохранить: %(name)s, %(size)d, %s, %d и {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?[sdif]|\{\w*\}")


def _po():
    return polib.pofile(str(PO_PATH))


def _translations(entry):
    """Все переводы записи: одна строка или формы множественного числа."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _placeholders(text):
    return set(PLACEHOLDER.findall(text))


def _catalog(entries):
    """Каталог {(контекст, msgid): перевод} для сравнения .po и .mo."""
    catalog = {}
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        catalog[(entry.msgctxt, entry.msgid, entry.msgid_plural or None)] = tuple(_translations(entry))
    return catalog


def test_every_entry_is_translated_and_not_fuzzy():
    po = _po()
    entries = [entry for entry in po if not entry.obsolete]

    untranslated = [entry.msgid for entry in entries if not all(_translations(entry))]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]

    assert entries
    assert untranslated == []
    assert fuzzy == []
    assert po.percent_translated() == 100


def test_plural_entries_have_both_english_forms():
    plural = [entry for entry in _po() if entry.msgid_plural and not entry.obsolete]

    for entry in plural:
        assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid
    assert "nplurals=2; plural=(n != 1);" in _po().metadata["Plural-Forms"]


def test_placeholders_are_preserved():
    broken = []
    for entry in _po():
        if entry.obsolete:
            continue
        expected = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural or "")
        for translated in _translations(entry):
            if _placeholders(translated) != expected:
                broken.append((entry.msgid, translated))

    assert broken == []


def test_leading_and_trailing_whitespace_is_preserved():
    broken = []
    for entry in _po():
        for translated in _translations(entry):
            if (entry.msgid[:1].isspace(), entry.msgid[-1:].isspace()) != (
                translated[:1].isspace(),
                translated[-1:].isspace(),
            ):
                broken.append(entry.msgid)

    assert broken == []


def test_committed_mo_matches_po():
    # .mo собирается `make messages`; отставший от .po файл здесь и ловится.
    po_catalog = _catalog(entry for entry in _po() if entry.translated())
    mo_catalog = _catalog(polib.mofile(str(MO_PATH)))

    assert mo_catalog == po_catalog


def test_django_loads_the_english_catalog():
    with translation.override("en"):
        assert translation.gettext("Заказ не найден.") == "Order not found."
        assert (
            translation.ngettext("Повторите через %(wait)d секунду.", "Повторите через %(wait)d секунд.", 5)
            % {"wait": 5}
            == "Try again in 5 seconds."
        )
    with translation.override("ru"):
        assert translation.gettext("Заказ не найден.") == "Заказ не найден."


@pytest.fixture
def default_region(db):
    region = RegionFactory(code="msk", name="Москва", name_en="Moscow", is_default=True)
    region_registry_invalidate()
    return region


def test_api_error_is_in_english_for_accept_language_en(api_client, default_region):
    response = api_client.get(CURRENT, {"region": "nope"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "region_unknown"
    assert response.json()["error"]["message"] == "Region “nope” not found or disabled."


def test_api_error_is_in_russian_by_default(api_client, default_region):
    response = api_client.get(CURRENT, {"region": "nope"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "region_unknown"
    assert response.json()["error"]["message"] == "Регион «nope» не найден или отключён."
