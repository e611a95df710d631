"""Разбор и проверка параметров запроса списка товаров и фасетов.

Без сериализатора DRF: параметров много, а запросов — тысячи в секунду. Любой неверный
параметр — ValidationError с путём, равным имени параметра, и стабильным кодом
(error_codes.py); обработчик ошибок API превращает её в 400 в едином формате.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail, ValidationError

from commerce.catalog import error_codes
from commerce.catalog.models import AttributeType
from commerce.catalog.selectors import DEFAULT_SORT, PRODUCT_SORTS, ProductFilter

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 24
MAX_PAGE = 100_000
ATTRIBUTE_PREFIX = "attr."
TRUE_VALUES = {"1", "true", "yes"}
FALSE_VALUES = {"0", "false", "no"}
MAX_NUMBER = Decimal("1e12")


@dataclass(frozen=True)
class ProductListParams:
    filters: ProductFilter
    sort: str
    page: int
    page_size: int
    category: object  # CategoryNode или None


class _Errors:
    def __init__(self):
        self.fields = {}

    def add(self, name, message, code):
        self.fields.setdefault(name, []).append(ErrorDetail(message, code=code))

    def raise_if_any(self):
        if self.fields:
            raise ValidationError(self.fields)


def _split(value):
    return [item.strip() for item in value.split(",") if item.strip()]


def _decimal(errors, name, raw):
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or abs(value) >= MAX_NUMBER:
        errors.add(name, _("Ожидается число, например 1990 или 12.5."), error_codes.INVALID_NUMBER)
        return None
    return value


def _boolean(errors, name, raw):
    lowered = raw.strip().lower()
    if lowered in TRUE_VALUES:
        return True
    if lowered in FALSE_VALUES:
        return False
    errors.add(name, _("Ожидается true или false."), error_codes.INVALID_BOOLEAN)
    return None


def _positive_int(errors, name, raw, *, code, maximum):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or value < 1 or value > maximum:
        errors.add(name, _("Ожидается целое число от 1 до %(max)s.") % {"max": maximum}, code)
        return None
    return value


def _attribute_filters(errors, params, snapshot, category):
    """Разобрать attr.<код>=a,b (список, да/нет) и attr.<код>.min / attr.<код>.max (число)."""
    allowed = {attribute.id for attribute in snapshot.category_attributes(category.id)} if category else None
    choice_groups, booleans, ranges = [], [], {}
    for name, raw in params.items():
        if not name.startswith(ATTRIBUTE_PREFIX):
            continue
        code, _dot, bound = name[len(ATTRIBUTE_PREFIX) :].partition(".")
        attribute = snapshot.attributes_by_code.get(code)
        if attribute is None:
            errors.add(name, _("Неизвестный атрибут «%(code)s».") % {"code": code}, error_codes.ATTRIBUTE_UNKNOWN)
            continue
        if not attribute.is_filterable or (allowed is not None and attribute.id not in allowed):
            errors.add(
                name,
                _("По атрибуту «%(code)s» нельзя фильтровать в этой категории.") % {"code": code},
                error_codes.ATTRIBUTE_NOT_FILTERABLE,
            )
            continue
        if attribute.type == AttributeType.NUMBER:
            if bound not in ("min", "max"):
                errors.add(
                    name,
                    _("Для числового атрибута укажите attr.%(code)s.min или attr.%(code)s.max.") % {"code": code},
                    error_codes.INVALID_NUMBER,
                )
                continue
            value = _decimal(errors, name, raw)
            if value is not None:
                ranges.setdefault(attribute.id, [None, None])[0 if bound == "min" else 1] = value
        elif bound:
            errors.add(name, _("Неизвестный параметр атрибута."), error_codes.ATTRIBUTE_UNKNOWN)
        elif attribute.type == AttributeType.BOOLEAN:
            flag = _boolean(errors, name, raw)
            if flag is not None:
                booleans.append((attribute.id, flag))
        elif attribute.type == AttributeType.CHOICE:
            values = _split(raw)
            unknown = [value for value in values if value not in attribute.choice_by_value]
            if unknown or not values:
                errors.add(
                    name,
                    _("Неизвестные значения: %(values)s.") % {"values": ", ".join(unknown) or "—"},
                    error_codes.ATTRIBUTE_VALUE_UNKNOWN,
                )
                continue
            choice_groups.append(tuple(sorted(attribute.choice_by_value[value][0] for value in values)))
        else:
            errors.add(
                name,
                _("По текстовому атрибуту «%(code)s» фильтровать нельзя.") % {"code": code},
                error_codes.ATTRIBUTE_NOT_FILTERABLE,
            )
    number_ranges = tuple((attribute_id, bounds[0], bounds[1]) for attribute_id, bounds in sorted(ranges.items()))
    return tuple(sorted(choice_groups)), tuple(sorted(booleans)), number_ranges


def product_list_params(*, params, snapshot, with_paging=True):
    """Проверить параметры запроса списка (или фасетов) и вернуть ProductListParams.

    Raises:
        ValidationError: по одной ошибке на каждый неверный параметр, путь — имя параметра.
    """
    errors = _Errors()
    category = None
    if params.get("category"):
        category = snapshot.categories_by_slug.get(params["category"])
        if category is None:
            errors.add("category", _("Категория не найдена."), error_codes.CATEGORY_UNKNOWN)
    brand_ids = []
    if "brand" in params:
        for slug in _split(params["brand"]) or [""]:
            brand = snapshot.brands_by_slug.get(slug)
            if brand is None:
                errors.add("brand", _("Бренд «%(slug)s» не найден.") % {"slug": slug}, error_codes.BRAND_UNKNOWN)
            else:
                brand_ids.append(brand["id"])
    price_min = _decimal(errors, "price_min", params["price_min"]) if "price_min" in params else None
    price_max = _decimal(errors, "price_max", params["price_max"]) if "price_max" in params else None
    for name, value in (("price_min", price_min), ("price_max", price_max)):
        if value is not None and value < 0:
            errors.add(name, _("Цена не может быть отрицательной."), error_codes.INVALID_NUMBER)
    if price_min is not None and price_max is not None and price_min > price_max:
        errors.add("price_max", _("Максимальная цена меньше минимальной."), error_codes.PRICE_RANGE_INVALID)
    in_stock = _boolean(errors, "in_stock", params["in_stock"]) if "in_stock" in params else False
    has_discount = _boolean(errors, "has_discount", params["has_discount"]) if "has_discount" in params else False
    sort = params.get("sort") or DEFAULT_SORT
    if sort not in PRODUCT_SORTS:
        errors.add(
            "sort",
            _("Неизвестная сортировка; допустимо: %(sorts)s.") % {"sorts": ", ".join(PRODUCT_SORTS)},
            error_codes.INVALID_SORT,
        )
    page = page_size = None
    if with_paging:
        page = _positive_int(errors, "page", params.get("page", "1"), code=error_codes.INVALID_PAGE, maximum=MAX_PAGE)
        page_size = _positive_int(
            errors,
            "page_size",
            params.get("page_size", str(DEFAULT_PAGE_SIZE)),
            code=error_codes.INVALID_PAGE_SIZE,
            maximum=MAX_PAGE_SIZE,
        )
    choice_groups, booleans, number_ranges = _attribute_filters(errors, params, snapshot, category)
    errors.raise_if_any()
    filters = ProductFilter(
        category_id=category.id if category else None,
        brand_ids=tuple(sorted(brand_ids)),
        price_min=price_min,
        price_max=price_max,
        in_stock=bool(in_stock),
        has_discount=bool(has_discount),
        choice_groups=choice_groups,
        number_ranges=number_ranges,
        booleans=booleans,
    )
    return ProductListParams(filters=filters, sort=sort, page=page, page_size=page_size, category=category)
