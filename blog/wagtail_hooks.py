"""Админка блога: авторы и рубрики как сниппеты, окно выбора товара для карточек в статьях.

Регистрация здесь, а не в models.py: Wagtail загружает wagtail_hooks после всех моделей,
и всё, что касается админки блога, лежит в одном файле.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from blog.models import BlogAuthor, BlogCategory
from blog.products import PRODUCT_MODEL, catalog_is_installed


class BlogAuthorViewSet(SnippetViewSet):
    model = BlogAuthor
    icon = "user"
    menu_label = _("Авторы блога")
    list_display = ["name", "role", "locale"]
    search_fields = ["name"]


class BlogCategoryViewSet(SnippetViewSet):
    model = BlogCategory
    icon = "folder-open-inverse"
    menu_label = _("Рубрики блога")
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]


register_snippet(BlogAuthorViewSet)
register_snippet(BlogCategoryViewSet)


class ProductChooserViewSet(ChooserViewSet):
    """Окно выбора товара каталога для блока «Карточка товара»."""

    model = PRODUCT_MODEL
    icon = "tag"
    choose_one_text = _("Выбрать товар")
    choose_another_text = _("Выбрать другой товар")
    edit_item_text = _("Изменить товар")
    per_page = 20


product_chooser_viewset = ProductChooserViewSet("blog_product_chooser")

if catalog_is_installed():
    from wagtail import hooks  # только с каталогом: блог работает и без него

    @hooks.register("register_admin_viewset")
    def register_product_chooser_viewset():
        return product_chooser_viewset
