"""POST /api/v1/crm/requests/ — заявка «перезвоните мне» с витрины (тонкий вид над requests)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.schema import errors
from core.client_ip import client_ip_get
from integrations.amocrm.requests import crm_request_create
from integrations.amocrm.serializers import CrmRequestInputSerializer, CrmRequestOutputSerializer
from integrations.amocrm.throttling import CrmRequestIpRateThrottle


class CrmUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "crm_unavailable"
    default_detail = _("Приём заявок сейчас не настроен. Позвоните нам, пожалуйста.")


class CrmRequestApi(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = [CrmRequestIpRateThrottle]

    @extend_schema(
        tags=["crm"],
        summary="Оставить заявку «перезвоните мне»",
        request=CrmRequestInputSerializer,
        responses={
            202: CrmRequestOutputSerializer,
            **errors(e400=["validation_error"], e429=["throttled"], e503=[CrmUnavailable.default_code]),
        },
        description="Заявка уходит в CRM через outbox (доставка с повторами). 503 crm_unavailable — "
        "ни одно подключение CRM заявки не принимает: покажите телефон магазина.",
    )
    def post(self, request):
        data = CrmRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = crm_request_create(
            **data.validated_data,
            ip=client_ip_get(request) or "",
            referer=request.headers.get("Referer", "")[:500],
        )
        if event is None:
            raise CrmUnavailable()
        return Response(CrmRequestOutputSerializer({"id": event.object_id}).data, status=status.HTTP_202_ACCEPTED)
