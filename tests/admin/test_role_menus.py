"""Меню админки по ролям: каждая роль видит свой участок магазина, а не всё, что может просмотреть."""

import pytest

from staff import roles
from tests.admin.conftest import role_user
from tests.admin.helpers import menu_labels
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        (
            roles.CONTENT_EDITOR,
            {"Страницы", "Изображения", "Документы", "Справочники", "Руководство редактора"},
            {"Каталог", "Товары", "Заказы", "Обмен каталогом", "Платежи", "Регионы", "Что нового в Wagtail 8.0"},
        ),
        (
            roles.ORDER_MANAGER,
            {"Заказы", "Платежи", "Журнал платежей"},
            {"Каталог", "Товары", "Регионы", "Пользователи", "Переводы", "Страницы", "Обмен каталогом"},
        ),
        (
            roles.MERCHANDISER,
            {"Каталог", "Товары", "Склады", "Обмен каталогом", "Загрузить файл", "Поиск: без результатов"},
            {"Заказы", "Платежи", "Регионы", "Переводы", "Страницы", "Руководство редактора"},
        ),
        (
            roles.ADMINISTRATOR,
            {"Каталог", "Заказы", "Платежи", "Регионы", "Обмен каталогом", "Пользователи", "Группы", "Страницы"},
            {"Что нового в Wagtail 8.0"},
        ),
    ],
)
def test_each_role_sees_its_part_of_the_menu(client, role, sees, does_not_see):
    client.force_login(role_user(role))

    labels = menu_labels(client)

    assert sees <= labels, sees - labels
    assert not (does_not_see & labels), does_not_see & labels


def test_menu_hiding_does_not_take_rights_away(client, catalog):
    # Менеджер заказов не видит «Каталог» в меню, но товар из строки заказа открывается.
    client.force_login(role_user(roles.ORDER_MANAGER))

    assert client.get("/admin/snippets/catalog/product/").status_code == 200


def test_superuser_sees_everything(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    labels = menu_labels(client)

    assert {"Каталог", "Заказы", "Регионы", "Интеграции", "Сайты", "Переводы"} <= labels
