"""SMS-шлюзы: реализации интерфейса core.sms (prostor, console, locmem).

Какой шлюз работает, задаёт настройка SMS_BACKEND — путь к классу, наследнику
:class:`core.sms.SmsBackend`. Отправлять SMS — через
:func:`core.sms.sms_send`, а не через класс шлюза напрямую.
"""
