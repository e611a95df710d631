"""Фикстуры коммерции: основа магазина и каталог (tests/commerce/fixtures.py) — для всех папок коммерции."""

from tests.commerce.fixtures import catalog, regions  # noqa: F401 — регистрация фикстур
