"""Сведения о клиенте запроса, нужные лимитам."""

from django.conf import settings


def client_ip_get(request):
    """Вернуть IP клиента.

    X-Forwarded-For учитывается, только если запрос пришёл от доверенного прокси
    (ACCOUNTS_TRUSTED_PROXIES): иначе клиент подделал бы адрес и обошёл лимиты по IP.
    Берётся самый правый адрес цепочки, который не является доверенным прокси.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(settings.ACCOUNTS_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote or None
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(chain):
        if address not in trusted:
            return address
    return remote or None
