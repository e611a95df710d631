"""SQLite (`make run`): ё→е в полнотекстовом индексе modelsearch и слова названий для подсказок.

Запрос поиска нормализуется (normalization.query_normalize: ё→е), а токенизатор FTS5
unicode61 снимает диакритику только с латиницы, поэтому «зеленая елка» не находила
«Зелёная ёлка». Русская конфигурация PostgreSQL (миграция 0002) делает то же ё→е сама;
на SQLite это делают триггеры, которые копируют записи modelsearch в таблицу FTS5: они
пересоздаются с заменой ё→е, а уже проиндексированные строки переписываются один раз.
Там же заполняется таблица слов названий (documents._name_words_refresh) для подсказок.
На PostgreSQL миграция ничего не делает.
"""

from django.db import migrations

FTS_TABLE = "wagtailsearch_indexentry_fts"
ENTRY_TABLE = "wagtailsearch_indexentry"
COLUMNS = ("title", "body", "autocomplete")


def _folded(expression):
    return f"replace(replace({expression}, 'ё', 'е'), 'Ё', 'Е')"


def _triggers(fold):
    value = _folded if fold else (lambda expression: expression)
    new = ", ".join(value(f"NEW.{column}") for column in COLUMNS)
    assignments = ", ".join(f"{column}={value(f'NEW.{column}')}" for column in COLUMNS)
    return [
        "DROP TRIGGER IF EXISTS insert_wagtailsearch_indexentry_fts",
        f"CREATE TRIGGER insert_wagtailsearch_indexentry_fts AFTER INSERT ON {ENTRY_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(title, body, autocomplete, rowid) VALUES ({new}, NEW.id); END",
        "DROP TRIGGER IF EXISTS update_wagtailsearch_indexentry_fts",
        f"CREATE TRIGGER update_wagtailsearch_indexentry_fts AFTER UPDATE ON {ENTRY_TABLE} BEGIN "
        f"UPDATE {FTS_TABLE} SET {assignments} WHERE rowid=NEW.id; END",
    ]


def _fts_exists(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    if _fts_exists(schema_editor):
        for statement in _triggers(fold=True):
            schema_editor.execute(statement)
        assignments = ", ".join(f"{column} = {_folded(column)}" for column in COLUMNS)
        schema_editor.execute(f"UPDATE {FTS_TABLE} SET {assignments}")  # noqa: S608 — только имена
    from commerce.search.normalization import NAME_WORD_MAX_LENGTH, name_words

    Product = apps.get_model("catalog", "Product")
    ProductNameWord = apps.get_model("search", "ProductNameWord")
    alias = schema_editor.connection.alias
    ProductNameWord.objects.using(alias).all().delete()
    ProductNameWord.objects.using(alias).bulk_create(
        (
            ProductNameWord(word=word[:NAME_WORD_MAX_LENGTH], product_id=pk, popularity=popularity)
            for pk, name, popularity in Product.objects.using(alias)
            .filter(is_active=True)
            .values_list("pk", "name", "popularity")
            for word in dict.fromkeys(name_words(name))
        ),
        batch_size=500,
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite" and _fts_exists(schema_editor):
        for statement in _triggers(fold=False):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_product_lexeme_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
