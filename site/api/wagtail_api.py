"""Wagtail API v2 (/api/v2/): страницы, изображения, документы — с нашим форматом ошибок."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.fields import Field
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from blog.api import BlogListingFilter
from blog.preview import PagePreviewMixin
from core.cdn import cdn_cacheable
from core.db_routing import replica_reads
from core.errors import api_error_response
from core.storefront import page_storefront_url
from regions.api.wagtail import RegionalPagesMixin, RegionQueryParameterMixin


class UnifiedErrorsMixin:
    """Отдавать ошибки Wagtail API в том же формате, что и /api/v1/."""

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return api_error_response(
                code="not_found", message=_("Объект не найден."), status_code=status.HTTP_404_NOT_FOUND
            )
        if isinstance(exc, BadRequestError):
            return api_error_response(code="bad_request", message=str(exc), status_code=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


class StorefrontHtmlUrlField(Field):
    """meta.html_url — адрес страницы на витрине (core.storefront), а не на бэкенде."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return page_storefront_url(page=page, request=self.context.get("request"))


class StorefrontPageSerializer(PageSerializer):
    html_url = StorefrontHtmlUrlField(read_only=True)


@replica_reads
@cdn_cacheable(keys=("content",))
class PagesApi(UnifiedErrorsMixin, RegionalPagesMixin, PagesAPIViewSet):
    """Страницы Wagtail — для региона запроса (см. regions.api.wagtail)."""

    base_serializer_class = StorefrontPageSerializer

    # Фильтры блога (?tag=, ?series=, ?date_from=...) — перед поиском: SearchFilter должен быть последним.
    filter_backends = [
        *RegionalPagesMixin.filter_backends[:-1],
        BlogListingFilter,
        RegionalPagesMixin.filter_backends[-1],
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters | BlogListingFilter.query_parameters


class PagePreviewApi(UnifiedErrorsMixin, PagePreviewMixin, PagesAPIViewSet):
    """Черновик страницы по токену предпросмотра (wagtail-headless-preview, см. blog.preview)."""

    base_serializer_class = StorefrontPageSerializer


@replica_reads
@cdn_cacheable(keys=("content",))
class ImagesApi(UnifiedErrorsMixin, RegionQueryParameterMixin, ImagesAPIViewSet):
    """Изображения Wagtail."""


@replica_reads
@cdn_cacheable(keys=("content",))
class DocumentsApi(UnifiedErrorsMixin, RegionQueryParameterMixin, DocumentsAPIViewSet):
    """Документы Wagtail."""


content_api_router = WagtailAPIRouter("wagtailapi")
content_api_router.register_endpoint("pages", PagesApi)
content_api_router.register_endpoint("page_preview", PagePreviewApi)
content_api_router.register_endpoint("images", ImagesApi)
content_api_router.register_endpoint("documents", DocumentsApi)
