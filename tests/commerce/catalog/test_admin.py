"""Админки каталога открываются, а категория создаётся под выбранным родителем."""

import json

import pytest
from django.urls import reverse

from commerce.catalog.models import Category
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

EMPTY_RICH_TEXT = json.dumps(
    {
        "blocks": [
            {"key": "a", "type": "unstyled", "text": "", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}
        ],
        "entityMap": {},
    }
)

SNIPPETS = [
    "catalog_product",
    "catalog_variant",
    "catalog_category",
    "catalog_brand",
    "catalog_attribute",
    "pricing_pricelist",
    "inventory_warehouse",
]


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_wagtail_snippet_list_and_add_pages_open(admin_client, catalog, snippet):
    assert admin_client.get(reverse(f"wagtailsnippets_{snippet}:list")).status_code == 200
    assert admin_client.get(reverse(f"wagtailsnippets_{snippet}:add")).status_code == 200


def test_variant_edit_page_has_inline_prices_and_stock(admin_client, catalog):
    response = admin_client.get(reverse("wagtailsnippets_catalog_variant:edit", args=[catalog.laptop.variant.pk]))
    assert response.status_code == 200
    assert b"prices-TOTAL_FORMS" in response.content
    assert b"stocks-TOTAL_FORMS" in response.content


def test_wagtail_admin_creates_category_under_parent(admin_client, catalog):
    response = admin_client.post(
        reverse("wagtailsnippets_catalog_category:add"),
        {
            "parent": catalog.electronics.pk,
            "name": "Планшеты",
            "slug": "tablets",
            "description": EMPTY_RICH_TEXT,
            "is_active": "on",
            "seo_title": "",
            "seo_description": "",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    tablets = Category.objects.get(slug="tablets")
    assert tablets.get_parent() == catalog.electronics


@pytest.mark.parametrize("model", ["catalog/product", "catalog/variant", "catalog/category", "pricing/pricelist"])
def test_django_admin_pages_open(admin_client, catalog, model):
    assert admin_client.get(f"/django-admin/{model}/").status_code == 200
    assert admin_client.get(f"/django-admin/{model}/add/").status_code == 200
