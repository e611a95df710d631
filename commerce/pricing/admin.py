from django.contrib import admin

from commerce.pricing.models import PriceList


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "currency", "is_active"]
    search_fields = ["name", "code"]
