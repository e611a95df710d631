"""Русские формы множественного числа, сообщения без рода и жаргона Wagtail, брендинг Megashop."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from commerce.exchange.admin_review import rows_text
from commerce.payments.models import RegionPaymentProvider
from staff import roles
from tests.admin.conftest import role_user
from tests.admin.helpers import form_data, menu_labels

RU_DIR = Path(settings.LOCALE_PATHS[0]) / "ru" / "LC_MESSAGES"


@pytest.mark.parametrize(
    ("count", "text"),
    [(1, "1 строка"), (3, "3 строки"), (5, "5 строк"), (11, "11 строк"), (21, "21 строка"), (22, "22 строки")],
)
def test_russian_plural_forms(count, text):
    with translation.override("ru"):
        assert rows_text(count) == text


def test_wait_message_has_three_russian_forms():
    message = "Повторите через %(wait)d секунду.", "Повторите через %(wait)d секунд."
    with translation.override("ru"):
        assert translation.ngettext(*message, 2) % {"wait": 2} == "Повторите через 2 секунды."
        assert translation.ngettext(*message, 5) % {"wait": 5} == "Повторите через 5 секунд."


def test_russian_catalog_is_compiled_and_has_russian_plural_rule():
    po = polib.pofile(str(RU_DIR / "django.po"))
    mo = polib.mofile(str(RU_DIR / "django.mo"))

    assert "nplurals=3" in po.metadata["Plural-Forms"]
    assert {entry.msgid: entry.msgstr or entry.msgstr_plural for entry in po if entry.msgid} == {
        entry.msgid: entry.msgstr or entry.msgstr_plural for entry in mo if entry.msgid
    }
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1, 2], entry.msgid


@pytest.mark.django_db
def test_create_message_has_no_wrong_gender(client, regions):
    # given: администратор включает способ оплаты (модель мужского рода — «способ»)
    client.force_login(role_user(roles.ADMINISTRATOR))
    add = "/admin/payments/region-provider/new/"
    data = form_data(client.get(add))
    data.update({"region": str(regions.spb.pk), "provider": "cash_on_delivery", "sort_order": "0", "is_enabled": "on"})

    # when
    response = client.post(add, data, follow=True)

    # then: сообщение без рода («создана» не согласуется с «способ»)
    content = response.content.decode()
    assert RegionPaymentProvider.objects.filter(region=regions.spb).exists()
    assert "Создано: " in content
    assert "создана" not in content


@pytest.mark.django_db
def test_no_wagtail_jargon_in_menu(client):
    client.force_login(role_user(roles.ADMINISTRATOR))

    labels = menu_labels(client)

    assert "Фрагменты" not in labels
    assert "Справочники" in labels


@pytest.mark.django_db
def test_login_page_is_branded(client):
    content = client.get("/admin/login/").content.decode()

    assert "Вход в Megashop" in content
    assert "<title>Вход - Megashop</title>" in content or "- Megashop</title>" in content
    assert "staff/megashop-logo.svg" in content
    assert "Wagtail</title>" not in content


@pytest.mark.django_db
def test_admin_menu_has_megashop_logo(client):
    client.force_login(role_user(roles.ADMINISTRATOR))

    content = client.get("/admin/").content.decode()

    assert "data-megashop-logo" in content
    assert "- Megashop</title>" in content
