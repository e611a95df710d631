"""Запись пачки импорта в PostgreSQL: COPY во временные таблицы, затем команды над множествами.

Почему не многострочные INSERT ... VALUES: psycopg 3 в Django связывает параметры на стороне
клиента, и разбор запроса с десятками тысяч плейсхолдеров стоил больше самой записи (около
трети времени импорта). COPY передаёт строки потоком без разбора SQL, а INSERT ... SELECT,
UPDATE ... FROM и DELETE ... USING из временной таблицы — одна команда на пачку.

Временные таблицы живут до конца транзакции (ON COMMIT DROP) и очищаются перед каждой пачкой;
создание внутри точки сохранения пачки откатывается вместе с ней, поэтому IF NOT EXISTS.
Все имена таблиц и столбцов — из кода, значения — только через COPY или параметры.
"""

from django.db import connection
from django.utils import timezone


def stage(cursor, name, columns, rows):
    """Залить строки во временную таблицу name (столбцы — пары имя, тип SQL) через COPY."""
    definition = ", ".join(f"{column} {sql_type}" for column, sql_type in columns)
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({definition}) ON COMMIT DROP; TRUNCATE {name}")
    names = ", ".join(column for column, _type in columns)
    with cursor.cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def insert_defaults(model, provided):
    """Вернуть (столбцы, значения) по умолчанию для полей model, которых нет в provided.

    Значения берутся из описания модели (default, auto_now), как их поставил бы bulk_create,
    поэтому новое поле каталога с умолчанием не ломает импорт. Необязательные поля без
    умолчания пропускаются — база запишет NULL.
    """
    now = timezone.now()
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in provided:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            continue
        else:
            value = field.get_default()
        columns.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return columns, values


def insert_returning(cursor, model, stage_name, columns, rows, *, key):
    """Вставить строки модели через временную таблицу; вернуть словарь key → id.

    Args:
        columns: пары (столбец, тип SQL) в порядке значений строк; key — один из них,
            уникальный в таблице модели (slug товара, sku варианта).
    """
    stage(cursor, stage_name, columns, rows)
    names = [column for column, _type in columns]
    extra_columns, extra_values = insert_defaults(model, set(names))
    table = model._meta.db_table
    placeholders = ", ".join(["%s"] * len(extra_values))
    cursor.execute(
        f"INSERT INTO {table} ({', '.join([*names, *extra_columns])}) "  # noqa: S608 — имена из кода
        f"SELECT {', '.join(names)}{', ' if extra_values else ''}{placeholders} FROM {stage_name} "
        f"RETURNING {key}, id",
        extra_values,
    )
    return dict(cursor.fetchall())


def update_from(cursor, table, stage_name, columns, rows, *, extra_set=""):
    """UPDATE table SET ... FROM временной таблицы; первый столбец — id."""
    stage(cursor, stage_name, columns, rows)
    assignments = [f"{column} = s.{column}" for column, _type in columns[1:]]
    if extra_set:
        assignments.append(extra_set)
    cursor.execute(
        f"UPDATE {table} AS t SET {', '.join(assignments)} FROM {stage_name} AS s WHERE t.id = s.id"  # noqa: S608
    )


def upsert_from(cursor, table, stage_name, columns, rows, *, conflict, update, constants=()):
    """INSERT ... SELECT ... ON CONFLICT DO UPDATE из временной таблицы.

    constants — пары (столбец, значение) только для новых строк (например, reserved = 0).
    """
    stage(cursor, stage_name, columns, rows)
    names = [column for column, _type in columns]
    constant_names = [column for column, _value in constants]
    select = [*names, *["%s"] * len(constants)]
    assignments = ", ".join(f"{column} = excluded.{column}" for column in update)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join([*names, *constant_names])}) "  # noqa: S608
        f"SELECT {', '.join(select)} FROM {stage_name} "
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {assignments}",
        [value for _column, value in constants],
    )


def delete_pairs(cursor, table, stage_name, columns, rows):
    """DELETE строк table, совпавших с парами (столбец1, столбец2) из временной таблицы."""
    stage(cursor, stage_name, columns, rows)
    condition = " AND ".join(f"t.{column} = s.{column}" for column, _type in columns)
    cursor.execute(f"DELETE FROM {table} AS t USING {stage_name} AS s WHERE {condition}")  # noqa: S608
