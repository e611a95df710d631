"""Пользователи в админке Django."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class MegashopUserAdmin(UserAdmin):
    list_display = ("username", "email", "phone", "first_name", "last_name", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "phone_verified", "email_verified", "groups")
    search_fields = ("username", "email", "phone", "first_name", "last_name")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Контакты"), {"fields": ("phone", "phone_verified", "email_verified")}),
    )
