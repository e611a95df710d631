"""Регионы в Django-админке (/django-admin/) — для базовой правки без Wagtail."""

from django.contrib import admin

from regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_default", "is_active", "currency", "time_zone", "subdomain", "subfolder"]
    list_filter = ["is_active", "is_default", "currency"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["sort_order", "code"]
