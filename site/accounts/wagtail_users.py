"""Пользователи в админке Wagtail: поиск по телефону, флаги подтверждения, группы сотрудников.

Подключается через accounts.wagtail_apps.MegashopUsersAppConfig (см. там, почему так).
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

CONTACT_FIELDS = ("phone", "phone_verified", "email_verified")


class SuperuserFieldGuardMixin:
    """Убрать из формы отметку «суперпользователь», если её правит не суперпользователь.

    Группа «Администратор» правит пользователей (accounts.change_user), но выдать кому-то —
    и себе через второго пользователя — полный доступ в обход ролей может только суперпользователь.
    Поле удаляется из формы, так что присланное значение просто не читается.
    """

    def __init__(self, *args, request_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request_user is None or not request_user.is_superuser:
            self.fields.pop("is_superuser", None)


class MegashopUserCreationForm(SuperuserFieldGuardMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(CONTACT_FIELDS)


class MegashopUserEditForm(SuperuserFieldGuardMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(CONTACT_FIELDS)


class RequestUserFormMixin:
    """Передать форме пользователя, который её правит (для SuperuserFieldGuardMixin)."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request_user": self.request.user}


class MegashopUserCreateView(RequestUserFormMixin, wagtail_users.CreateView):
    pass


class MegashopUserEditView(RequestUserFormMixin, wagtail_users.EditView):
    pass


class MegashopUserFilterSet(wagtail_users.UserFilterSet):
    phone_verified = django_filters.BooleanFilter(label=_("Телефон подтверждён"), widget=BooleanRadioSelect)
    email_verified = django_filters.BooleanFilter(label=_("E-mail подтверждён"), widget=BooleanRadioSelect)
    is_staff = django_filters.BooleanFilter(label=_("Сотрудник"), widget=BooleanRadioSelect)

    class Meta(wagtail_users.UserFilterSet.Meta):
        fields = []


class MegashopUserIndexView(wagtail_users.IndexView):
    """Список пользователей: поиск ещё и по телефону, колонки контактов."""

    @property
    def search_fields(self):
        return ["username", "first_name", "last_name", "email", "phone"]

    @property
    def columns(self):
        columns = list(super().columns)
        extra = [
            Column("phone", label=_("Телефон"), accessor=lambda user: str(user.phone or ""), width="15%"),
            BooleanColumn("phone_verified", label=_("Тел. подтв."), width="8%"),
            BooleanColumn("email_verified", label=_("E-mail подтв."), width="8%"),
        ]
        return columns[:3] + extra + columns[3:]


class MegashopUserViewSet(wagtail_users.UserViewSet):
    index_view_class = MegashopUserIndexView
    add_view_class = MegashopUserCreateView
    edit_view_class = MegashopUserEditView
    # Шаблоны Wagtail с блоком extra_fields, в котором выводятся телефон и флаги подтверждения.
    create_template_name = "accounts/wagtail_users/create.html"
    edit_template_name = "accounts/wagtail_users/edit.html"
    filterset_class = MegashopUserFilterSet

    def get_form_class(self, for_update=False):
        return MegashopUserEditForm if for_update else MegashopUserCreationForm
