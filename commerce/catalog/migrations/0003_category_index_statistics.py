"""Поднять цель статистики PostgreSQL у столбцов фильтров списка (category_id, choice_id).

В ProductCategoryIndex у категорий верхних уровней десятки тысяч товаров, у листьев — сотни:
при цели статистики по умолчанию (100) оценка «товаров в категории» усредняется, и план
списка ошибается (идёт по индексу цены через все предложения региона вместо соединения от
категории). С целью 1000 частые значения (все разделы и категории второго уровня) попадают
в список MCV с точными частотами. На SQLite ничего не делает.
"""

from django.db import migrations

TARGETS = (("catalog_productcategoryindex", "category_id"), ("catalog_productchoiceindex", "choice_id"))


def statistics_set(apps, schema_editor, target=1000):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TARGETS:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {int(target)}")
        schema_editor.execute(f"ANALYZE {table}")


def statistics_reset(apps, schema_editor):
    statistics_set(apps, schema_editor, target=-1)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_productoffer_list_fields")]

    operations = [migrations.RunPython(statistics_set, statistics_reset)]
