"""Триггер PostgreSQL: журнал событий платежей только дополняется.

Защита на уровне базы, а не только кода: даже прямой UPDATE или DELETE из консоли
(или ошибка в будущем коде) не изменит аудит платежей. На SQLite — свой триггер на UPDATE (0004).
"""

from django.db import migrations

CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION payments_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'payments_paymentevent is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER payments_event_append_only
BEFORE UPDATE OR DELETE ON payments_paymentevent
FOR EACH ROW EXECUTE FUNCTION payments_event_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS payments_event_append_only ON payments_paymentevent;
DROP FUNCTION IF EXISTS payments_event_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
