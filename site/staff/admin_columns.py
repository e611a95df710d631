"""Столбцы списков Wagtail admin: галочки с подписью «да»/«нет» вместо «True»/«False»."""

from django.db import models
from wagtail.admin.ui.tables import BooleanColumn


class IconBooleanColumn(BooleanColumn):
    """Галочка или крестик с подписью «да»/«нет» для экранных дикторов (у Wagtail — «True»/«False»)."""

    cell_template_name = "staff/admin/boolean_cell.html"


def list_display_with_icons(model, list_display):
    """Вернуть list_display, где каждое булево поле модели — BooleanColumn (значок «да/нет»).

    Первый столбец (заголовок со ссылкой) и уже готовые столбцы остаются как есть.
    """
    columns = []
    for position, item in enumerate(list_display):
        if position and isinstance(item, str):
            try:
                field = model._meta.get_field(item)
            except models.FieldDoesNotExist:
                field = None
            if isinstance(field, models.BooleanField):
                item = IconBooleanColumn(item, label=field.verbose_name, sort_key=item)
        columns.append(item)
    return columns
