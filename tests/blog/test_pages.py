"""Страницы блога в админке Wagtail: где их можно создавать, создание через форму, время чтения."""

import pytest
from django.test import override_settings
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog.models import ArticleKind, ArticlePage, BlogIndexPage, SeriesPage, reading_minutes
from regions.models import RegionHomePage, RegionsRootPage
from regions.registry import region_registry_invalidate
from regions.services import region_tree_build
from tests.factories.blog import ArticlePageFactory, BlogIndexPageFactory
from tests.factories.regions import RegionFactory


class BlogPageTypesTests(WagtailPageTestCase):
    """Правила дерева: блог — под домашней страницей региона, статьи — в блоге или в серии."""

    @classmethod
    def setUpTestData(cls):
        RegionFactory(code="msk", name="Москва", is_default=True)
        region_registry_invalidate()
        region_tree_build(mode="subfolder", base_domain="testserver")
        cls.home = RegionHomePage.objects.get(region__code="msk")
        cls.blog = BlogIndexPageFactory(parent=cls.home)

    def setUp(self):
        self.login()

    def test_blog_lives_under_regional_home_pages_only(self):
        self.assertAllowedParentPageTypes(BlogIndexPage, {RegionHomePage})
        self.assertCanNotCreateAt(RegionsRootPage, BlogIndexPage)

    def test_blog_holds_articles_and_series_and_series_hold_articles(self):
        self.assertAllowedSubpageTypes(BlogIndexPage, {ArticlePage, SeriesPage})
        self.assertAllowedSubpageTypes(SeriesPage, {ArticlePage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        self.assertCanNotCreateAt(Page, ArticlePage)

    @override_settings(MEDIA_ROOT="/tmp/megashop-blog-test-media")
    def test_editor_creates_and_publishes_an_article_with_a_body_through_the_admin(self):
        # given: форма статьи с абзацем, заголовком и кодом
        data = nested_form_data(
            {
                "title": "Как выбрать ноутбук",
                "slug": "kak-vybrat-noutbuk",
                "kind": ArticleKind.ARTICLE,
                "publish_date": "2025-03-01",
                "lead": "Пять вопросов перед покупкой.",
                "tags": "ноутбуки, советы",
                "body": streamfield(
                    [
                        ("heading", {"text": "Процессор", "level": "h2", "anchor": ""}),
                        ("paragraph", rich_text("<p>" + "слово " * 400 + "</p>")),
                        ("code", {"language": "bash", "code": "lscpu"}),
                    ]
                ),
            }
        )
        # when / then: страница создана и опубликована через админку
        self.assertCanCreate(self.blog, ArticlePage, data)
        article = ArticlePage.objects.get(slug="kak-vybrat-noutbuk")
        assert article.live
        assert sorted(tag.name for tag in article.tags.all()) == ["ноутбуки", "советы"]
        # 401 слово при 180 словах в минуту — три минуты
        assert article.reading_time == 3

    def test_article_edit_view_is_editable_and_previewable(self):
        article = ArticlePageFactory(parent=self.blog)
        # Тело StreamField рисуется в браузере, поэтому данные формы передаём явно.
        post_data = nested_form_data(
            {
                "title": article.title,
                "slug": article.slug,
                "kind": article.kind,
                "publish_date": article.publish_date.isoformat(),
                "lead": article.lead,
                "tags": "",
                "body": streamfield([("paragraph", rich_text("<p>Новый текст.</p>"))]),
            }
        )
        self.assertPageIsEditable(article, post_data=post_data)
        self.assertPageIsPreviewable(article, post_data=post_data)


@pytest.mark.django_db
def test_reading_time_counts_text_blocks_but_not_code(shared_blog):
    # given: 360 слов текста и длинный фрагмент кода
    article = ArticlePageFactory(
        parent=shared_blog,
        body=[
            ("paragraph", "<p>" + "текст " * 300 + "</p>"),
            ("quote", {"text": "цитата " * 60, "author": ""}),
            ("code", {"language": "python", "code": "x = 1\n" * 2000}),
        ],
    )
    # then: две минуты — код не читают подряд
    assert article.reading_time == 2
    assert reading_minutes([]) == 1


@pytest.mark.django_db
def test_reading_time_follows_the_body_on_every_publish(shared_blog):
    article = ArticlePageFactory(parent=shared_blog, body=[("paragraph", "<p>коротко</p>")])
    assert article.reading_time == 1
    # when: редактор дописал статью и опубликовал новую ревизию
    article.body = [("paragraph", "<p>" + "слово " * 1000 + "</p>")]
    article.save_revision().publish()
    article.refresh_from_db()
    # then
    assert article.reading_time == 6
