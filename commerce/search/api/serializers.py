"""Формирование ответов API поиска и проверка тела событий.

Строки товаров формирует сериализатор списка каталога (commerce.catalog.api.serializers):
у товара в поиске та же цена, наличие и изображение региона, что и в каталоге.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commerce.catalog.api.serializers import category_short
from commerce.search import error_codes
from commerce.search.models import EventKind


def category_hit(snapshot, node):
    """Категория в выдаче: slug, название и цепочка родителей."""
    return {
        **category_short(node),
        "breadcrumbs": [category_short(item) for item in snapshot.breadcrumbs(node.id)[:-1]],
    }


def page_hit(page, request):
    """Страница в выдаче: заголовок, тип, адрес и описание для поиска."""
    return {
        "id": page.pk,
        "title": page.title,
        "type": f"{page.content_type.app_label}.{page.content_type.model_class().__name__}"
        if page.content_type.model_class()
        else page.content_type.model,
        "url": page.get_url(request=request),
        "search_description": page.search_description,
    }


class SearchEventInput(serializers.Serializer):
    """Событие витрины: просмотр товара, добавление в корзину, покупка."""

    kind = serializers.ChoiceField(
        choices=EventKind.choices,
        error_messages={"invalid_choice": _("Неизвестный вид события; допустимо: view, cart, purchase.")},
    )
    product = serializers.SlugField(max_length=255, help_text=_("slug товара"))
    search_id = serializers.UUIDField(
        required=False, allow_null=True, error_messages={"invalid": _("search_id должен быть UUID из ответа поиска.")}
    )
    quantity = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)

    default_error_codes = {"kind": error_codes.EVENT_KIND_UNKNOWN, "search_id": error_codes.SEARCH_ID_INVALID}

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            # Стабильные коды вместо общих invalid_choice / invalid.
            detail = error.detail
            for name, code in self.default_error_codes.items():
                if name in detail:
                    detail[name] = [serializers.ErrorDetail(str(item), code=code) for item in detail[name]]
            raise serializers.ValidationError(detail) from error
