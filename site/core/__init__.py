"""Общая библиотека сайта: то, чем пользуются и site/, и commerce/, и integrations/.

Адрес клиента за прокси (client_ip), лимиты запросов (throttling), единый формат ошибок API
(errors, exceptions, middleware, parsers), постраничный вывод (pagination), права персонала
(permissions), проверка адресов возврата (redirect_urls) и интерфейс SMS-шлюза (sms). Пакет
ничего не импортирует из приложений проекта — это нижний слой (контракты import-linter в
pyproject.toml); проводка URL — в site/api.
"""
