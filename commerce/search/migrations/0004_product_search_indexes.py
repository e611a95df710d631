"""Создать индексы таблиц поиска товаров на PostgreSQL.

GIN по tsvector документа (частичный, только активные товары) и btree
``(word varchar_pattern_ops, popularity DESC, product_id)`` для подсказок по началу слова.
На SQLite (`make run`) миграция ничего не делает: там поиск идёт через modelsearch.
"""

from django.db import migrations

CREATE_SQL = """
CREATE INDEX IF NOT EXISTS search_document_gin
    ON search_productsearchdocument USING gin (document) WHERE is_active;
CREATE INDEX IF NOT EXISTS search_nameword_prefix
    ON search_productnameword (word varchar_pattern_ops, popularity DESC, product_id);
"""

DROP_SQL = """
DROP INDEX IF EXISTS search_document_gin;
DROP INDEX IF EXISTS search_nameword_prefix;
"""


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_SQL)
    # Таблицы заполняет миграция 0006 (последняя из таблиц поиска): код пересчёта пишет во все.


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_product_search_tables"), ("catalog", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
