"""Периодические задачи проекта: расписание и действие."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import Page, Site

from config import tasks


def test_beat_schedule_points_at_registered_tasks():
    from config.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


@pytest.mark.django_db
def test_scheduled_page_is_published_by_the_task():
    # given: публикация запланирована, и её время наступило
    from wagtail.models import Revision

    root = Site.objects.get(is_default_site=True).root_page
    page = Page(title="Акция", slug="akciya", live=False)
    root.add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    assert Page.objects.get(pk=page.pk).live is False
    # «Прошёл час»: время публикации в ревизии и в её содержимом — уже в прошлом.
    past = timezone.now() - timedelta(minutes=1)
    revision = Revision.objects.get(pk=revision.pk)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])

    # when
    tasks.pages_publish_scheduled()

    # then
    assert Page.objects.get(pk=page.pk).live is True


@pytest.mark.django_db
def test_expired_blacklisted_tokens_are_flushed():
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    from tests.factories.accounts import UserFactory

    user = UserFactory()
    OutstandingToken.objects.create(
        user=user,
        jti="old",
        token="x",
        created_at=timezone.now() - timedelta(days=60),
        expires_at=timezone.now() - timedelta(days=30),
    )
    OutstandingToken.objects.create(
        user=user, jti="fresh", token="y", created_at=timezone.now(), expires_at=timezone.now() + timedelta(days=30)
    )

    tasks.jwt_expired_tokens_flush()

    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == ["fresh"]
