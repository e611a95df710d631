"""Листы справочников в книге обмена: categories (дерево категорий) и attributes (атрибуты).

Экспорт пишет их после листа каталога; импорт читает их до него, в той же транзакции, чтобы
строки каталога могли сослаться на категорию или значение атрибута, которые заводит файл.
Лист только добавляет недостающее (и только с флажком «создавать недостающие»): существующие
категории и атрибуты он не меняет, поэтому экспорт → импорт по-прежнему ничего не меняет.
Ошибка строки листа справочника — отклонённая строка файла с причиной, как в каталоге.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commerce.catalog.models import Attribute, AttributeChoice, AttributeType
from commerce.exchange import error_codes, sheet_format
from commerce.exchange import permissions as exchange_permissions

CATEGORY_SHEETS = {sheet_format.CATEGORIES_SHEET, "категории"}
ATTRIBUTE_SHEETS = {sheet_format.ATTRIBUTES_SHEET, "атрибуты"}
COLUMN_ALIASES = {"путь": "path", "код": "code", "название": "name", "тип": "type", "значения": "choices"}


class ReferenceRowError(Exception):
    """Строка листа справочника не принята: code и причина по-русски."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = str(message)


def reference_sheets_import(workbook, lookup, *, create_missing, on_error):
    """Прочитать листы categories и attributes книги и завести недостающее; вернуть число новых записей.

    Args:
        workbook: книга из readers.workbook_open.
        lookup: справочники импорта (lookups.CatalogLookup) — пополняются новыми записями.
        create_missing: разрешено ли создавать категории, атрибуты и значения.
        on_error: функция (лист, номер строки, ReferenceRowError) для отклонённой строки.
    """
    created = 0
    for name in workbook.sheet_names:
        kind = name.strip().casefold()
        if kind in CATEGORY_SHEETS:
            handler = _category_row
        elif kind in ATTRIBUTE_SHEETS:
            handler = _attribute_row
        else:
            continue
        columns = None
        for number, values in workbook.sheet(name).rows:
            texts = [sheet_format.cell_text(value) for value in values]
            if not any(texts):
                continue
            if columns is None:
                columns = {COLUMN_ALIASES.get(text.lower(), text.lower()): index for index, text in enumerate(texts)}
                continue
            row = {key: texts[index] if index < len(texts) else "" for key, index in columns.items()}
            try:
                with transaction.atomic():
                    created += handler(row, lookup, create_missing=create_missing)
            except ReferenceRowError as error:
                on_error(name, number, error)
    return created


def _category_row(row, lookup, *, create_missing):
    path = row.get("path", "")
    if not path:
        raise ReferenceRowError(error_codes.ROW_INVALID, _("не указан путь категории (path)"))
    if lookup.category_find(path) is not None:
        return 0
    if not create_missing:
        raise ReferenceRowError(
            error_codes.ROW_CATEGORY_UNKNOWN,
            _("категории «%(value)s» нет (включите создание недостающих категорий)") % {"value": path},
        )
    lookup.category_create(path, slug=row.get("slug") or None)
    return 1


def _attribute_row(row, lookup, *, create_missing):
    code = row.get("code", "").lower()
    if not code:
        raise ReferenceRowError(error_codes.ROW_INVALID, _("не указан код атрибута (code)"))
    created = 0
    attribute = lookup.attributes.get(code)
    if attribute is None:
        if not create_missing:
            raise ReferenceRowError(
                error_codes.ROW_INVALID,
                _("атрибута «%(code)s» нет (включите создание недостающих)") % {"code": code},
            )
        kind = row.get("type") or AttributeType.CHOICE
        if kind not in AttributeType.values:
            raise ReferenceRowError(
                error_codes.ROW_INVALID,
                _("тип атрибута «%(value)s»: допустимы %(types)s")
                % {"value": kind, "types": ", ".join(AttributeType.values)},
            )
        instance = Attribute(code=code, name=(row.get("name") or code)[:150], type=kind)
        lookup.permissions.add(exchange_permissions.ADD_ATTRIBUTE)
        _save(instance)
        attribute = {"id": instance.pk, "code": code, "name": instance.name, "type": kind}
        lookup.attributes[code] = attribute
        lookup.attributes_by_id[instance.pk] = attribute
        created += 1
    for item in (part.strip() for part in row.get("choices", "").split(sheet_format.CHOICE_SEPARATOR.strip())):
        if not item:
            continue
        value, _sep, label = item.partition("=")
        value, label = value.strip(), (label or value).strip()
        if lookup.choice_find(attribute["id"], value) is not None:
            continue
        if not create_missing:
            raise ReferenceRowError(
                error_codes.ROW_CHOICE_UNKNOWN,
                _("у атрибута «%(code)s» нет значения «%(value)s» (включите создание недостающих)")
                % {"code": code, "value": value},
            )
        choice = AttributeChoice(attribute_id=attribute["id"], value=value, label=label[:150])
        lookup.permissions.add(exchange_permissions.CHANGE_ATTRIBUTE)
        _save(choice)
        lookup.choice_add(attribute["id"], choice.pk, value, label)
        created += 1
    return created


def _save(instance):
    try:
        instance.full_clean()
    except ValidationError as error:
        reasons = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        raise ReferenceRowError(error_codes.ROW_INVALID, reasons) from error
    instance.save()
