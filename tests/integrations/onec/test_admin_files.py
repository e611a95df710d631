"""Файлы сессий обмена в Wagtail admin: список и скачивание только с правом модели."""

import pytest
from django.contrib.auth.models import Permission

from integrations.core.services import connection_create
from integrations.onec import services
from integrations.onec.models import ExchangeFile, ExchangeType
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def staff_with(client, *codenames):
    user = UserFactory(is_staff=False, is_superuser=False)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return client


@pytest.fixture
def uploaded():
    import io

    connection = connection_create(system="onec", code="1c", options={"username": "u"}, secrets={"password": "p"})
    session = services.session_start(connection=connection, exchange_type=ExchangeType.CATALOG)
    services.session_init(session=session)
    services.file_receive(
        session=session, filename="import.xml", stream=io.BytesIO(b"<?xml version='1.0'?><a/>"), length=26
    )
    return ExchangeFile.objects.get()


def test_staff_with_permission_lists_and_downloads(client, uploaded):
    staff_with(client, "view_exchangefile")

    listing = client.get("/admin/integrations/1c-files/")
    download = client.get(f"/admin/integrations/1c-files/{uploaded.pk}/download/")

    assert listing.status_code == 200 and "import.xml" in listing.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"<?xml version='1.0'?><a/>"
    assert "attachment" in download["Content-Disposition"]


def test_download_without_permission_is_forbidden(client, uploaded):
    staff_with(client)

    response = client.get(f"/admin/integrations/1c-files/{uploaded.pk}/download/")

    # Wagtail admin отвечает на PermissionDenied переходом на главную с сообщением «нет прав».
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "Content-Disposition" not in response


def test_file_of_cleaned_session_is_404(client, uploaded):
    import shutil

    shutil.rmtree(services.session_folder(uploaded.session))
    staff_with(client, "view_exchangefile")

    assert client.get(f"/admin/integrations/1c-files/{uploaded.pk}/download/").status_code == 404
