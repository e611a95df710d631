"""Ленты RSS и Atom блога: корректный XML, новые сверху, региональные и общие статьи."""

import datetime

import pytest
from defusedxml import ElementTree as ET

from tests.factories.blog import ArticlePageFactory, BlogAuthorFactory, BlogCategoryFactory, NewsPageFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response, ET.fromstring(response.content)


def test_rss_feed_is_valid_rss_2_with_newest_items_first(client, shared_blog):
    # given
    author = BlogAuthorFactory(name="Анна Смирнова")
    category = BlogCategoryFactory(name="Обзоры")
    ArticlePageFactory(
        parent=shared_blog,
        title="Старая статья",
        lead="Лид старой",
        publish_date=datetime.date(2024, 1, 1),
        author=author,
        category=category,
        tags=["ноутбуки"],
    )
    NewsPageFactory(parent=shared_blog, title="Свежая новость", publish_date=datetime.date(2025, 1, 1))
    ArticlePageFactory(parent=shared_blog, title="Черновик", publish=False)
    # when
    response, root = _get_xml(client, "/msk/blog/rss/")
    # then
    assert response["Content-Type"].startswith("application/rss+xml")
    assert root.tag == "rss"
    assert root.attrib["version"] == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Блог"
    assert channel.findtext("link").endswith("/msk/blog/")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Свежая новость", "Старая статья"]
    old = items[1]
    assert old.findtext("description") == "Лид старой"
    assert old.findtext("link").startswith("http://testserver/msk/blog/")
    assert [element.text for element in old.findall("category")] == ["Обзоры", "ноутбуки"]
    assert old.findtext("guid").startswith("urn:uuid:")
    assert old.findtext("pubDate")


def test_atom_feed_is_valid_atom_1(client, shared_blog):
    ArticlePageFactory(parent=shared_blog, title="Статья", author=BlogAuthorFactory(name="Анна Смирнова"))
    response, root = _get_xml(client, "/msk/blog/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Блог"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext(f"{ATOM}title") == "Статья"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Анна Смирнова"
    assert entry.findtext(f"{ATOM}updated")
    assert entry.find(f"{ATOM}link").attrib["href"].startswith("http://testserver/msk/blog/")


def test_regional_feed_includes_shared_articles_and_shared_feed_excludes_regional(client, shared_blog, kazan_blog):
    ArticlePageFactory(parent=shared_blog, title="Общая", slug="obshchaya")
    ArticlePageFactory(parent=kazan_blog, title="Казанская", slug="kazanskaya")
    _, kazan = _get_xml(client, "/kzn/blog/rss/")
    _, moscow = _get_xml(client, "/msk/blog/rss/")
    assert sorted(item.findtext("title") for item in kazan.iter("item")) == ["Казанская", "Общая"]
    assert [item.findtext("title") for item in moscow.iter("item")] == ["Общая"]


def test_feed_length_is_capped_by_setting(client, shared_blog, settings):
    settings.BLOG_FEED_ITEMS = 2
    for number in range(3):
        ArticlePageFactory(parent=shared_blog, title=f"Статья {number}")
    _, root = _get_xml(client, "/msk/blog/rss/")
    assert len(root.findall("channel/item")) == 2
