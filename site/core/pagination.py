"""Постраничная выдача списков API."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Нумерация страниц с размером страницы из запроса (?page_size=, не больше 100)."""

    page_size_query_param = "page_size"
    max_page_size = 100
