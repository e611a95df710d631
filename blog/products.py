"""Товары каталога внутри статей: блок выбора товара и JSON карточки с ценой региона.

Блог читает каталог только через его селекторы (commerce.catalog / commerce.pricing) и ссылается
на модель строкой «catalog.Product»: блог импортируется и мигрирует, даже если каталог
ещё не подключён, а карточки на такой сборке просто отдаются пустыми.
"""

from functools import cached_property

from django.apps import apps
from wagtail import blocks

PRODUCT_MODEL = "catalog.Product"


def catalog_is_installed():
    """Проверить, подключено ли приложение каталога."""
    return apps.is_installed("commerce.catalog")


class ProductChooserBlock(blocks.ChooserBlock):
    """Выбор товара каталога в теле статьи (окно выбора — из blog.wagtail_hooks)."""

    target_model = PRODUCT_MODEL

    @cached_property
    def widget(self):
        # wagtail_hooks импортирует этот модуль (блок выбора товара): импорт здесь разрывает цикл.
        from blog.wagtail_hooks import product_chooser_viewset

        return product_chooser_viewset.widget_class()

    def get_form_state(self, value):
        return self.widget.get_value_data(value)

    def get_api_representation(self, value, context=None):
        """Отдать карточку товара; пачку карточек статьи собирает ArticleBodyBlock заранее."""
        if value is None:
            return None
        prepared = (context or {}).get("blog_product_cards")
        if prepared is not None:
            return prepared.get(value.pk)
        request = (context or {}).get("request")
        return product_cards_for(product_ids=[value.pk], request=request).get(value.pk)

    class Meta:
        icon = "tag"


def product_cards_for(*, product_ids, request):
    """Собрать JSON карточек товаров для региона запроса за постоянное число запросов.

    Args:
        product_ids: id товаров (повторы допустимы).
        request: HTTP-запрос (регион — request.region) или None.

    Returns:
        dict: id товара → карточка в форме строки списка каталога (commerce.catalog.cards);
        снятые с продажи и удалённые товары в словарь не попадают.
    """
    product_ids = sorted({pk for pk in product_ids if pk is not None})
    if not product_ids or not catalog_is_installed():
        return {}
    # Каталог может быть не подключён: шлюз к нему грузится только после проверки catalog_is_installed().
    from blog import catalog_gateway

    return catalog_gateway.product_cards(product_ids=product_ids, request=request)
