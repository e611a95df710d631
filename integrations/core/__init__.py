"""Ядро интеграций: подключения, шифрование секретов, HTTP-клиент, outbox, вебхуки, журнал синхронизаций.

От ядра зависят все коннекторы (onec, moysklad, amocrm, erpnext); магазин (commerce, site)
ядро не импортирует. Коннектор описывает свою систему наследником
:class:`integrations.core.registry.System` и регистрирует её в ``AppConfig.ready()``.
"""
