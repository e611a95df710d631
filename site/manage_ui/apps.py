from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManageUiConfig(AppConfig):
    """React-админка /manage/: раздача собранного admin-ui/dist (issue #25)."""

    name = "manage_ui"
    verbose_name = _("React-админка")
