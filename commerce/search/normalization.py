"""Нормализация поисковых запросов: регистр, ё/е, мусорные символы, раскладка клавиатуры.

Одна и та же нормализация служит и поиску (что отправить в полнотекстовый индекс), и журналу
(запросы «Ноутбук», «ноутбук » и «НОУТБУК» — одна строка отчёта).
"""

import re
import unicodedata

from django.conf import settings

# Буквы, цифры и знаки, которые встречаются в артикулах и названиях (USB-C, 1/2", C++, 5.1).
_ALLOWED = re.compile(r"[^\w\s\-./+#]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_CYRILLIC = re.compile(r"[а-яё]")
_LATIN = re.compile(r"[a-z]")
# Слова названий для подсказок: всё, что не буква и не цифра, разделяет (как [^[:alnum:]]+ в SQL).
_WORD_SPLIT = re.compile(r"[\W_]+", re.UNICODE)
NAME_WORD_MAX_LENGTH = 64

# Раскладка ЙЦУКЕН поверх QWERTY: клавиша → буква. Пользователь набрал «yjen,er» вместо «ноутбук».
_LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_CYRILLIC_KEYS = "йцукенгшщзхъфывапролджэячсмитьбюё"
LATIN_TO_CYRILLIC = dict(zip(_LATIN_KEYS, _CYRILLIC_KEYS, strict=True))
CYRILLIC_TO_LATIN = dict(zip(_CYRILLIC_KEYS, _LATIN_KEYS, strict=True))


def query_max_length():
    """Вернуть предел длины запроса в символах (настройка SEARCH_QUERY_MAX_LENGTH)."""
    return settings.SEARCH_QUERY_MAX_LENGTH


def query_normalize(raw):
    """Привести запрос к виду для поиска и журнала: нижний регистр, ё→е, без лишних символов.

    Длина обрезается до SEARCH_QUERY_MAX_LENGTH (по границе слова, если она есть), число
    слов — до SEARCH_QUERY_MAX_TERMS: запрос в 1000 символов не должен стоить больше
    обычного. Пустая строка означает «искать нечего».
    """
    if not raw:
        return ""
    text = unicodedata.normalize("NFKC", str(raw)).lower().replace("ё", "е")
    text = _ALLOWED.sub(" ", text)
    # Дефисы и точки по краям слов ничего не значат («-ноутбук», «ноутбук.»).
    terms = [term.strip("-./") or term for term in _SPACES.split(text) if term.strip("-./+#")]
    terms = terms[: settings.SEARCH_QUERY_MAX_TERMS]
    text = " ".join(terms)
    limit = query_max_length()
    if len(text) > limit:
        cut = text[:limit]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return text


def name_words(text):
    """Разбить текст на слова так, как они лежат в таблице слов названий: строчными, ё→е."""
    return [word for word in _WORD_SPLIT.split(str(text).lower().replace("ё", "е")) if word]


def layout_switch(raw):
    """Вернуть запрос, перенабранный в другой раскладке (нормализованный), или пустую строку.

    Принимает исходный текст, а не нормализованный: запятая, точка с запятой и скобки — это
    клавиши «б», «ж», «х» («yjen,er» → «ноутбук»). Направление выбирается по буквам:
    латиница → кириллица, кириллица → латиница («фсук» → «acer»). Смешанный запрос не трогаем.
    """
    if not raw:
        return ""
    text = unicodedata.normalize("NFKC", str(raw)).lower()[: query_max_length() * 2]
    has_latin = bool(_LATIN.search(text))
    has_cyrillic = bool(_CYRILLIC.search(text))
    if has_latin == has_cyrillic:
        return ""
    mapping = LATIN_TO_CYRILLIC if has_latin else CYRILLIC_TO_LATIN
    switched = query_normalize("".join(mapping.get(char, char) for char in text))
    return "" if switched == query_normalize(text) else switched
