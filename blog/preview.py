"""Предпросмотр черновика на витрине (wagtail-headless-preview): чтение страницы по токену.

Редактор жмёт «Предпросмотр» → Wagtail сохраняет несохранённую страницу в PagePreview и
открывает витрину с ``?content_type=blog.articlepage&token=...`` → витрина спрашивает
``/api/v2/page_preview/?content_type=...&token=...`` и рисует ответ так же, как обычную страницу.
Токен подписан (TimestampSigner): чужой или испорченный токен даёт 404, а не чужой черновик.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.response import Response
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessPreviewMixin


class PagePreviewMixin:
    """Отдать страницу предпросмотра по ?content_type= и ?token= в формате детальной страницы API.

    Подмешивается к эндпоинту Wagtail API (api/wagtail_api.py). Поля — как у /api/v2/pages/<id>/,
    поэтому витрине не нужен отдельный код рисования черновика.
    """

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["content_type", "token"])

    def listing_view(self, request):
        # Детальные поля, а не поля списка: предпросмотр — это одна страница.
        self.action = "detail_view"
        page = self.get_object()
        return Response(self.get_serializer(page).data)

    def detail_view(self, request, pk):
        raise Http404(_("Предпросмотр открывается по токену, а не по id."))

    def get_object(self):
        if hasattr(self, "_preview_page"):
            return self._preview_page
        content_type_label = self.request.GET.get("content_type", "")
        token = self.request.GET.get("token", "")
        app_label, _dot, model_name = content_type_label.partition(".")
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
        except ContentType.DoesNotExist as exc:
            raise Http404(_("Неизвестный тип страницы.")) from exc
        model = content_type.model_class()
        if model is None or not (issubclass(model, Page) and issubclass(model, HeadlessPreviewMixin)):
            raise Http404(_("Для этого типа страницы нет предпросмотра."))
        try:
            page = model.get_page_from_preview_token(token)
        except BadSignature as exc:
            raise Http404(_("Токен предпросмотра неверен.")) from exc
        if page is None:
            raise Http404(_("Предпросмотр не найден или устарел."))
        self._preview_page = page
        return page
