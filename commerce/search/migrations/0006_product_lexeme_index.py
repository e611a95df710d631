"""Создать упорядоченный индекс лексем товаров на PostgreSQL и заполнить таблицы поиска заново.

На SQLite (`make run`) миграция ничего не делает: там поиск идёт через modelsearch.
"""

from django.db import migrations

CREATE_SQL = """
CREATE INDEX IF NOT EXISTS search_lexeme_ranked
    ON search_productlexeme (lexeme, weight_rank, popularity DESC, product_id);
"""

DROP_SQL = "DROP INDEX IF EXISTS search_lexeme_ranked;"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_SQL)
    # Заполнить таблицы сразу, чтобы поиск работал после migrate без update_index. Вызов кода
    # приложения из миграции — сознательно: SQL пересчёта один и идемпотентен; если он начнёт
    # писать в новую таблицу, вызов переезжает в миграцию, которая её создаёт.
    from commerce.search.documents import product_documents_refresh

    product_documents_refresh(connection=schema_editor.connection)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_product_lexemes")]

    operations = [migrations.RunPython(create_index, drop_index)]
