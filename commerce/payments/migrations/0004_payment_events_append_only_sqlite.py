"""Триггер SQLite (встроенный вариант `make run`): события платежей не переписываются.

Та же защита, что триггер PostgreSQL из 0002, для UPDATE: прямой UPDATE из консоли или
ошибка в будущем коде не изменит аудит платежей. DELETE на SQLite запрещает только код
(PaymentEvent.delete и удаление выборкой бросают TypeError): в SQLite нет TRUNCATE, и
`manage.py flush` (и очистка базы между транзакционными тестами) удаляет строки обычным
DELETE в произвольном порядке таблиц — триггер на DELETE сделал бы базу демо неочищаемой.
"""

from django.db import migrations

CREATE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS payments_event_append_only
BEFORE UPDATE ON payments_paymentevent
BEGIN
    SELECT RAISE(ABORT, 'payments_paymentevent is append-only');
END
"""

DROP_TRIGGER = "DROP TRIGGER IF EXISTS payments_event_append_only"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_payment_refund_permission")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
