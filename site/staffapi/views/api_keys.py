"""Ключи API сотрудника: список своих, выпуск (ключ показывается один раз), отзыв."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from staffapi import api_keys
from staffapi.audit import staff_action_record
from staffapi.exceptions import ApiKeyGroupNotAllowed
from staffapi.models import ApiKey
from staffapi.permissions import staff_has_perm
from staffapi.serializers import admin as s
from staffapi.views.base import StaffApiView

TAGS = ["api-keys"]


def _own_keys(request):
    """Свои ключи; с правом staffapi.change_apikey — все (отзыв чужого ключа — дело администратора)."""
    queryset = ApiKey.objects.select_related("owner", "group")
    if staff_has_perm(request, "staffapi.change_apikey"):
        return queryset
    return queryset.filter(owner=request.user)


class ApiKeyListApi(StaffApiView):
    required_permissions = {"GET": ["staffapi.view_apikey"], "POST": ["staffapi.add_apikey"]}

    @extend_schema(tags=TAGS, summary="Ключи API", responses={200: s.ApiKeySerializer(many=True)})
    def get(self, request):
        return Response(s.ApiKeySerializer(_own_keys(request), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Выпустить ключ API",
        request=s.ApiKeySerializer,
        responses={201: s.ApiKeyCreatedSerializer},
        description="Группа — одна из групп владельца (иначе 400 api_key_group_not_allowed). Ключ виден один раз.",
    )
    def post(self, request):
        serializer = s.ApiKeySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = serializer.validated_data["group"]
        if not request.user.groups.filter(pk=group.pk).exists():
            raise ApiKeyGroupNotAllowed()
        key, raw = api_keys.api_key_create(name=serializer.validated_data["name"], owner=request.user, group=group)
        staff_action_record(request=request, action="api_key.create", obj=key, after={"group": group.name})
        return Response({**s.ApiKeySerializer(key).data, "key": raw}, status=status.HTTP_201_CREATED)


class ApiKeyRevokeApi(StaffApiView):
    required_permissions = ["staffapi.view_apikey"]

    @extend_schema(tags=TAGS, summary="Отозвать ключ API", request=None, responses={200: s.ApiKeySerializer})
    def post(self, request, pk):
        key = _own_keys(request).filter(pk=pk).first()
        if key is None:
            raise NotFound(_("Ключ не найден."))
        before = {"revoked_at": None if key.revoked_at is None else key.revoked_at.isoformat()}
        api_keys.api_key_revoke(key=key)
        staff_action_record(request=request, action="api_key.revoke", obj=key, before=before, after={"revoked": True})
        return Response(s.ApiKeySerializer(key).data)
