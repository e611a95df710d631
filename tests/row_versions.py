"""Версии строк таблицы для тестов «неизменное не переписывается» — на PostgreSQL и на SQLite.

На PostgreSQL версия строки — её ctid: UPDATE (и DELETE с новой вставкой) даёт строке новый.
В SQLite такого адреса нет (rowid при UPDATE не меняется), поэтому версия — rowid и число
UPDATE этой строки, которые записал временный триггер соединения. Триггер ставится при первом
вызове для таблицы: версии, полученные до и после действия, равны, только если действие
строку не переписало (новая вставка — новый rowid: id таблиц Django — AUTOINCREMENT).
"""

from django.db import connection

_SQLITE_LOG = "CREATE TEMP TABLE IF NOT EXISTS megashop_row_updates (table_name TEXT NOT NULL, row_id INTEGER NOT NULL)"
_SQLITE_TRIGGER = (
    "CREATE TEMP TRIGGER IF NOT EXISTS megashop_row_updates_{table} AFTER UPDATE ON main.{table} "
    "BEGIN INSERT INTO megashop_row_updates (table_name, row_id) VALUES ('{table}', NEW.rowid); END"
)


def row_versions(table, columns, *, where="1 = 1", params=()):
    """Вернуть строки [(значения columns..., версия)] таблицы table под условием where, по порядку columns.

    table, columns и where — из кода теста (имена и плейсхолдеры), значения — в params.
    """
    selected = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            version = "ctid::text"
        else:
            cursor.execute(_SQLITE_LOG)
            cursor.execute(_SQLITE_TRIGGER.format(table=table))
            version = (
                f"{table}.rowid || ':' || (SELECT COUNT(*) FROM megashop_row_updates AS log"  # noqa: S608 — имя из теста
                f" WHERE log.table_name = '{table}' AND log.row_id = {table}.rowid)"
            )
        cursor.execute(
            f"SELECT {selected}, {version} FROM {table} WHERE {where} ORDER BY {selected}",  # noqa: S608 — имена из теста
            list(params),
        )
        return cursor.fetchall()
