"""Стабильные машинные коды ошибок API регионов.

На эти строки опирается витрина: менять их нельзя, только добавлять новые.
"""

# Явно переданный регион (?region=, X-Region, выбор региона) не существует или отключён.
REGION_UNKNOWN = "region_unknown"
# В базе нет ни одного активного региона — магазин ещё не настроен.
REGION_NOT_CONFIGURED = "region_not_configured"
# Язык из ?locale= не входит в LANGUAGES или для него нет локали Wagtail.
LOCALE_UNKNOWN = "locale_unknown"
