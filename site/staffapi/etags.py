"""ETag и If-Match для правок: одна формула версии объекта и одна проверка.

Версия заказа — его id, статус и время изменения (updated_at меняется при каждом сохранении):
два менеджера, открывшие одну карточку, получают один ETag, и второй, кто сохранит, получит 412.
"""

import hashlib

from staffapi.exceptions import PreconditionFailed, PreconditionRequired


def order_etag(order):
    """Вернуть сильный ETag заказа в кавычках."""
    raw = f"order:{order.pk}:{order.status}:{order.updated_at.isoformat()}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def if_match_check(*, request, etag):
    """Проверить If-Match запроса против текущего ETag.

    Raises:
        PreconditionRequired (428): заголовка нет.
        PreconditionFailed (412): ни одно значение не совпало (``*`` совпадает с любым).
    """
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    values = {value.strip().removeprefix("W/") for value in header.split(",")}
    if "*" not in values and etag not in values:
        raise PreconditionFailed()
