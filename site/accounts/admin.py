"""Пользователи в админке Django: контакты, согласия, адреса и журнал согласий."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Address, ConsentEvent, User


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


class ConsentEventInline(admin.TabularInline):
    """Журнал согласий только для чтения: это юридическая запись, её не правят."""

    model = ConsentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "granted", "ip_address", "created_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class MegashopUserAdmin(UserAdmin):
    list_display = (
        "username",
        "email",
        "phone",
        "first_name",
        "last_name",
        "email_verified",
        "phone_verified",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "phone_verified", "email_verified", "groups")
    search_fields = ("username", "email", "phone", "first_name", "last_name")
    readonly_fields = ("personal_data_consent_at", "marketing_consent_at", "deleted_at")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Контакты"), {"fields": ("phone", "phone_verified", "email_verified")}),
        (_("Согласия и удаление"), {"fields": ("personal_data_consent_at", "marketing_consent_at", "deleted_at")}),
    )
    inlines = (AddressInline, ConsentEventInline)

    def get_readonly_fields(self, request, obj=None):
        """Сделать «суперпользователь» и личные права только для чтения, если правит не суперпользователь.

        Иначе сотрудник группы «Администратор» (auth.*, accounts.*) выдал бы полный доступ себе
        или другому в обход ролей.
        """
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ("is_superuser", "user_permissions")
        return fields
