"""Разбор JSON-тела запросов API с пределами: размер, глубина вложенности, символ NUL."""

import io

from django.conf import settings
from rest_framework import parsers

from core.exceptions import JsonTooDeep, NullCharacter, RequestTooLarge


def json_limits_check(data, *, max_depth):
    """Проверить разобранный JSON: вложенность не глубже max_depth, нигде нет NUL.

    Обход без рекурсии: глубокий документ не должен стоить стека (RecursionError был бы 500).

    Raises:
        JsonTooDeep, NullCharacter.
    """
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise NullCharacter()
        elif isinstance(value, dict | list):
            if depth > max_depth:
                raise JsonTooDeep()
            if isinstance(value, dict):
                for key, item in value.items():
                    if "\x00" in key:
                        raise NullCharacter()
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)


class JSONParser(parsers.JSONParser):
    """JSONParser DRF с пределами API_JSON_MAX_DEPTH и DATA_UPLOAD_MAX_MEMORY_SIZE и без NUL.

    DRF читает тело потоком мимо проверки размера Django (request.body), поэтому предел
    размера проверяется здесь ещё раз, а не только по Content-Length в core.middleware.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as error:
            raise JsonTooDeep() from error
        json_limits_check(data, max_depth=settings.API_JSON_MAX_DEPTH)
        return data
