"""Чтение привязок соцсетей."""

from accounts.oauth.models import SocialAccount


def social_account_list_for_user(*, user):
    """Привязанные аккаунты соцсетей пользователя (один запрос)."""
    return SocialAccount.objects.filter(user=user).order_by("provider", "id")


def social_account_get_by_uid(*, provider, uid):
    """Найти привязку по провайдеру и идентификатору у него (с пользователем) или вернуть None."""
    return SocialAccount.objects.select_related("user").filter(provider=provider, uid=uid).first()
