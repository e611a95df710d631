"""Раздача React-админки /manage/: SPA-откат без кэша, assets навсегда, страница «как собрать» без сборки."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(tmp_path, settings):
    """Сборка как у Vite: index.html и assets/ с хешем в имени."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(
        '<!doctype html><div id="root"></div><script src="/manage/assets/index-abc123.js">'
    )
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("не отдавать")
    settings.MANAGE_UI_DIST = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", ["/manage/", "/manage/orders/MSK-1", "/manage/orders?status=new"])
def test_every_spa_path_gets_index_html_without_cache(client, bundle, path):
    response = client.get(path)

    assert response.status_code == 200
    assert b'<div id="root">' in response.content
    assert response["Content-Type"].startswith("text/html")
    assert "no-cache" in response["Cache-Control"]


def test_hashed_asset_is_served_immutable(client, bundle):
    response = client.get("/manage/assets/index-abc123.js")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"console.log(1)"
    assert "javascript" in response["Content-Type"]
    assert "immutable" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["missing-1.js", "../secret.txt", "..%2Fsecret.txt", "%2e%2e/index.html"])
def test_missing_or_escaping_asset_is_404_not_index(client, bundle, name):
    response = client.get(f"/manage/assets/{name}")

    assert response.status_code == 404
    assert b"root" not in response.content


def test_without_bundle_a_russian_page_says_how_to_build(client, tmp_path, settings):
    settings.MANAGE_UI_DIST = str(tmp_path / "nothing")

    response = client.get("/manage/orders/")

    assert response.status_code == 503
    text = response.content.decode()
    assert "React-админка не собрана" in text
    assert "make admin-ui" in text
    assert "no-cache" in response["Cache-Control"]


def test_writes_to_manage_are_refused(client, bundle):
    assert client.post("/manage/").status_code == 405
