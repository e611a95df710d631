"""Постраничная выдача API сотрудников: курсор для длинных лент (заказы), страницы для остального."""

from rest_framework import pagination


class StaffCursorPagination(pagination.CursorPagination):
    """Курсор по (-created_at, -id): новые заказы не сдвигают страницы, глубина не дорожает (без OFFSET)."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class StaffPagePagination(pagination.PageNumberPagination):
    """Нумерация страниц (?page=, ?page_size= до 200) — для сеток и справочников."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
