"""Схема OpenAPI ответов API поиска (drf-spectacular).

Представления поиска собирают словари сами (ради скорости), поэтому сериализаторы ниже только
описывают форму ответа для /api/schema/ и Swagger UI и в запросах не участвуют. Меняя словари
в views.py или serializers.py, меняйте и описание здесь.
"""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTStatelessUserScheme
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers

from commerce.catalog.api.schema import (
    BAD_FILTER,
    FILTER_PARAMETERS,
    REGION_HEADER,
    CategoryShortSchema,
    ProductListItemSchema,
)
from commerce.search import error_codes
from commerce.search.api.serializers import SearchEventInput

TAGS = ["search"]


class SearchJwtStatelessScheme(SimpleJWTStatelessUserScheme):
    """Описать JWT без запроса к базе под своим именем схемы безопасности.

    Встроенное расширение drf-spectacular называет его так же, как JWTAuthentication
    («jwtAuth»), и генератор предупреждает о двух разных компонентах с одним именем. Токен
    тот же (Bearer access JWT), поэтому меняется только имя.
    """

    name = "jwtStatelessAuth"
    priority = 1


class CategoryHitSchema(CategoryShortSchema):
    breadcrumbs = CategoryShortSchema(many=True, help_text="Родители категории от корня.")


class PageHitSchema(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    type = serializers.CharField(help_text="app_label.Model страницы Wagtail.")
    url = serializers.CharField(allow_null=True)
    search_description = serializers.CharField()


class SearchResultSchema(serializers.Serializer):
    query = serializers.CharField(help_text="Нормализованный запрос.")
    corrected_query = serializers.CharField(
        allow_null=True, help_text="Запрос в другой раскладке, если исходный ничего не нашёл."
    )
    search_id = serializers.UUIDField(help_text="Передавайте в /api/v1/search/events/.")
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True, help_text="Путь следующей страницы или null.")
    previous = serializers.CharField(allow_null=True, help_text="Путь предыдущей страницы или null.")
    sort = serializers.CharField()
    currency = serializers.CharField(allow_null=True)
    results = ProductListItemSchema(many=True)
    categories = CategoryHitSchema(many=True)
    pages = PageHitSchema(many=True)


class SuggestProductSchema(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class SuggestSchema(serializers.Serializer):
    query = serializers.CharField()
    corrected_query = serializers.CharField(allow_null=True)
    products = SuggestProductSchema(many=True)
    categories = CategoryHitSchema(many=True)
    queries = serializers.ListField(child=serializers.CharField(), help_text="Популярные запросы региона.")


class PopularQuerySchema(serializers.Serializer):
    query = serializers.CharField()
    searches = serializers.IntegerField()


class PopularQueriesSchema(serializers.Serializer):
    results = PopularQuerySchema(many=True)


class EventAcceptedSchema(serializers.Serializer):
    accepted = serializers.BooleanField()


QUERY = OpenApiParameter("q", OpenApiTypes.STR, description="Текст запроса (до SEARCH_QUERY_MAX_LENGTH символов)")
SEARCH_PARAMETERS = [
    QUERY,
    *FILTER_PARAMETERS,
    OpenApiParameter(
        "sort", OpenApiTypes.STR, enum=["relevance", "popular", "price", "-price", "name", "-name", "new"]
    ),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1..100, по умолчанию 24"),
]

search_schema = extend_schema_view(
    get=extend_schema(
        operation_id="search",
        summary="Поиск: товары региона, категории, страницы",
        tags=TAGS,
        parameters=[REGION_HEADER, *SEARCH_PARAMETERS],
        responses={200: SearchResultSchema, 400: BAD_FILTER},
    )
)
suggest_schema = extend_schema_view(
    get=extend_schema(
        operation_id="search_suggest",
        summary="Подсказки по мере набора (с двух символов)",
        tags=TAGS,
        parameters=[REGION_HEADER, QUERY],
        responses={200: SuggestSchema},
    )
)
popular_schema = extend_schema_view(
    get=extend_schema(
        operation_id="search_popular",
        summary="«Часто ищут»: популярные запросы региона",
        tags=TAGS,
        parameters=[REGION_HEADER, OpenApiParameter("limit", OpenApiTypes.INT, description="1..50, по умолчанию 10")],
        responses={
            200: PopularQueriesSchema,
            400: OpenApiResponse(
                description=f"Неверный limit. Коды ошибок: `validation_error`, `{error_codes.INVALID_LIMIT}`."
            ),
        },
    )
)
event_schema = extend_schema_view(
    post=extend_schema(
        operation_id="search_event",
        summary="Событие витрины: просмотр, корзина, покупка",
        tags=TAGS,
        parameters=[REGION_HEADER],
        request=SearchEventInput,
        responses={
            202: EventAcceptedSchema,
            400: OpenApiResponse(
                description="Неверное тело события. Коды ошибок: `validation_error`, "
                f"`{error_codes.EVENT_KIND_UNKNOWN}`, `{error_codes.SEARCH_ID_INVALID}`."
            ),
            404: OpenApiResponse(description=f"Товар не найден. Коды ошибок: `{error_codes.PRODUCT_NOT_FOUND}`."),
            429: OpenApiResponse(description="Слишком много событий с одного адреса. Коды ошибок: `throttled`."),
        },
    )
)
