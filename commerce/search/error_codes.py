"""Стабильные машинные коды ошибок API поиска (поле error.code и error.fields[].code).

Ошибки фильтров, сортировки и страниц — коды каталога (commerce.catalog.error_codes):
параметры у поиска и списка товаров общие.
"""

INVALID_SORT = "invalid_sort"
INVALID_LIMIT = "invalid_limit"
EVENT_KIND_UNKNOWN = "event_kind_unknown"
PRODUCT_NOT_FOUND = "product_not_found"
SEARCH_ID_INVALID = "search_id_invalid"
