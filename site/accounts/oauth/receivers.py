"""Реакция на удаление аккаунта: привязки соцсетей удаляются вместе с персональными данными.

accounts.services.user_delete обезличивает пользователя и ничего не знает о соцсетях;
отдельный приёмник держит это знание здесь. Без него uid и контакты провайдера остались бы
в базе, а повторный вход той же соцсетью упирался бы в заблокированную запись вместо нового аккаунта.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from accounts.oauth.models import SocialAccount


@receiver(post_save, sender=User, dispatch_uid="accounts_oauth_user_deleted")
def social_accounts_drop_for_deleted_user(sender, instance, **kwargs):
    """Удалить привязки соцсетей пользователя, удалённого по его просьбе."""
    if instance.deleted_at is not None:
        SocialAccount.objects.filter(user_id=instance.pk).delete()
