"""SMS-шлюзы: интерфейс отправки и его реализации (prostor, console, locmem).

Какой шлюз работает, задаёт настройка SMS_BACKEND — путь к классу, наследнику
:class:`integrations.sms.base.SmsBackend`. Отправлять SMS — через
:func:`integrations.sms.services.sms_send`, а не через класс шлюза напрямую.
"""
