"""Создать конфигурацию полнотекстового поиска PostgreSQL «megashop_russian».

Это стандартная «russian» (стеммер Snowball, стоп-слова), в которой перед стеммером стоит
словарь unaccent: он превращает «ё» в «е», так что «ёлка» и «елка», «зелёный» и «зеленый»
дают одну лексему и в индексе, и в запросе. На других базах (SQLite для `make run`)
миграция ничего не делает.
"""

from django.db import migrations

CREATE_SQL = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'megashop_russian') THEN
        CREATE TEXT SEARCH CONFIGURATION megashop_russian (COPY = pg_catalog.russian);
        ALTER TEXT SEARCH CONFIGURATION megashop_russian
            ALTER MAPPING FOR word, hword, hword_part WITH unaccent, russian_stem;
    END IF;
END
$$;
"""

DROP_SQL = "DROP TEXT SEARCH CONFIGURATION IF EXISTS megashop_russian;"


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_config, drop_config)]
