from django.contrib import admin

from commerce.inventory.models import Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name", "code"]
