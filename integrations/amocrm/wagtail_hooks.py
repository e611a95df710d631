"""Сделки amoCRM в Wagtail admin: только просмотр (этап и ответственный менеджер по заказу)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from integrations.amocrm.models import AmoDeal
from integrations.core.wagtail_hooks import ReadOnlyPermissionPolicy

register_permission_policy(AmoDeal, ReadOnlyPermissionPolicy(AmoDeal))


class AmoDealViewSet(ModelViewSet):
    model = AmoDeal
    icon = "user"
    menu_label = _("Сделки amoCRM")
    menu_order = 331
    add_to_admin_menu = True
    url_prefix = "integrations/amocrm-deal"
    url_namespace = "wagtail_integrations_amocrm_deal"
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields = []
    list_display = ["order", "lead_id", "status_id", "responsible_name", "responsible_user_id", "updated_at"]
    list_filter = ["connection"]
    search_fields = ["order__number", "responsible_name"]

    def get_queryset(self, request):
        return AmoDeal.objects.select_related("order", "connection")


@hooks.register("register_admin_viewset")
def register_amocrm_deals():
    return AmoDealViewSet()
