"""Адрес входящих вебхуков подключения: тонкий вид над integrations.core.webhooks."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations.core.webhooks import WebhookRejected, webhook_receive, webhook_throttle_exceeded


@csrf_exempt
@require_POST
def webhook_hook(request, code, token=""):
    """Принять вебхук и ответить 202 сразу; обработка — в Celery."""
    if webhook_throttle_exceeded(remote_addr=request.META.get("REMOTE_ADDR", "")):
        return JsonResponse({"code": "throttled", "message": "Слишком много запросов."}, status=429)
    try:
        inbound, duplicate = webhook_receive(request=request, code=code, token=token)
    except WebhookRejected as error:
        return JsonResponse({"code": error.code, "message": error.message}, status=error.status)
    return JsonResponse({"id": inbound.pk, "duplicate": duplicate}, status=200 if duplicate else 202)
