"""Скачивание файла сессии обмена с 1С сотрудником (для разбора обмена)."""

from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from integrations.onec.models import ExchangeFile
from integrations.onec.services import session_folder


@permission_required("integrations_onec.view_exchangefile", raise_exception=True)
def exchange_file_download(request, pk):
    """Отдать файл сессии вложением; файл старой сессии (уже удалён с диска) — 404."""
    record = get_object_or_404(ExchangeFile.objects.select_related("session__connection"), pk=pk)
    folder = session_folder(record.session).resolve()
    path = (folder / record.name).resolve()
    if folder not in path.parents or not path.is_file():
        raise Http404(_("Файл уже удалён: хранятся только последние сессии обмена."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
