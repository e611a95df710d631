"""Журнал действий сотрудников: одна функция записи, которую зовёт каждая запись API сотрудников."""

from core.client_ip import client_ip_get
from staffapi.models import ApiKey, StaffAction


def staff_action_record(*, request, action, obj=None, object_type="", object_id="", before=None, after=None):
    """Записать действие сотрудника в журнал (в текущей транзакции: откат уносит и запись).

    Args:
        request: запрос DRF — из него берутся сотрудник, ключ API (request.auth) и адрес.
        action: машинное имя действия («order.transition», «customer.pii_reveal»).
        obj: объект модели (тип, id и название берутся из него) или None.
        object_type, object_id: для действия над набором объектов без одной модели.
        before, after: снимки значимых полей (JSON), None — не применимо.

    Returns:
        StaffAction — созданная запись.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    api_key = request.auth if isinstance(request.auth, ApiKey) else None
    return StaffAction.objects.create(
        actor=request.user if request.user.is_authenticated else None,
        api_key=api_key,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=str(obj)[:255] if obj is not None else "",
        before=before,
        after=after,
        ip_address=client_ip_get(request) or None,
    )
