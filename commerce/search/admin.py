"""Журнал поиска в Django admin — только чтение (для разбора отдельных случаев)."""

from django.contrib import admin

from commerce.search.models import PopularQuery, SearchEvent, SearchQueryLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SearchQueryLog)
class SearchQueryLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "region_code", "query", "corrected_query", "results_count"]
    list_filter = ["region_code"]
    search_fields = ["query"]
    date_hierarchy = "created_at"


@admin.register(SearchEvent)
class SearchEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "region_code", "product_id", "quantity", "search_id"]
    list_filter = ["kind", "region_code"]
    date_hierarchy = "created_at"


@admin.register(PopularQuery)
class PopularQueryAdmin(ReadOnlyAdmin):
    list_display = ["region_code", "query", "searches"]
    list_filter = ["region_code"]
    search_fields = ["query"]
