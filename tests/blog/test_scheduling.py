"""Отложенная публикация и снятие статьи — штатные механизмы Wagtail, видимые в API блога."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from blog.models import ArticlePage
from tests.factories.blog import ArticlePageFactory

pytestmark = pytest.mark.django_db


def _titles(api_client):
    response = api_client.get("/api/v2/pages/", {"type": "blog.ArticlePage", "region": "msk"})
    return [item["title"] for item in response.json()["items"]]


def test_scheduled_article_appears_only_after_its_go_live_time(api_client, shared_blog):
    # given: черновик, запланированный на будущее
    article = ArticlePageFactory(parent=shared_blog, title="Анонс распродажи", publish=False)
    article.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = article.save_revision()
    revision.publish()
    assert _titles(api_client) == []
    # when: время пришло, и периодическая команда Wagtail отработала
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    # then
    assert _titles(api_client) == ["Анонс распродажи"]


def test_expired_article_leaves_the_listing(api_client, shared_blog):
    article = ArticlePageFactory(parent=shared_blog, title="Акция недели")
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("publish_scheduled")
    assert _titles(api_client) == []
