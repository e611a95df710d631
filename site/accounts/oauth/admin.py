"""Привязки соцсетей в админке Django: поиск и просмотр; удалить привязку может поддержка."""

from django.contrib import admin

from accounts.oauth.models import SocialAccount


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "provider", "display_name", "email", "email_verified", "created_at", "last_login_at")
    list_filter = ("provider", "email_verified", "phone_verified")
    search_fields = ("uid", "email", "phone", "display_name", "user__email", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    # Данные приходят от провайдера: вручную их не правят, чтобы не подменить чужой uid.
    readonly_fields = (
        "provider",
        "uid",
        "email",
        "email_verified",
        "phone",
        "phone_verified",
        "display_name",
        "avatar_url",
        "created_at",
        "last_login_at",
    )

    def has_add_permission(self, request):
        return False
