"""Точка обмена с 1С: /integrations/1c/exchange/ и путь Битрикса /bitrix/admin/1c_exchange.php.

Ответы — простой текст, первая строка ``success``, ``progress`` или ``failure`` (HTTP 200),
как требует протокол; исключение — ``mode=query``, там ответ — XML с заказами.
"""

import base64
import binascii
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from integrations.onec import services
from integrations.onec.jobs import import_run, progress_get
from integrations.onec.models import ExchangeImport, ExchangeType, ImportState
from integrations.onec.orders import orders_confirm, orders_query
from integrations.onec.services import COOKIE_NAME, ExchangeError
from integrations.onec.tasks import onec_import

logger = logging.getLogger(__name__)


def _answer(*lines):
    return HttpResponse("\n".join(str(line) for line in lines), content_type="text/plain; charset=utf-8")


def _failure(reason):
    return _answer("failure", reason)


def _basic_credentials(request):
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.casefold() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    for encoding in ("utf-8", "cp1251"):
        try:
            username, sep, password = decoded.decode(encoding).partition(":")
        except UnicodeDecodeError:
            continue
        return (username, password) if sep else None
    return None


@csrf_exempt
def exchange(request):
    """Разобрать type и mode запроса 1С и ответить по протоколу; ошибки — ``failure\\n<причина>``."""
    exchange_type = request.GET.get("type", "")
    mode = request.GET.get("mode", "")
    if request.method not in ("GET", "POST"):
        return _failure(_("Обмен принимает только GET и POST."))
    if exchange_type not in ExchangeType.values:
        return _failure(_("Неизвестный тип обмена «%(type)s»: ожидается catalog или sale.") % {"type": exchange_type})
    try:
        if mode == "checkauth":
            return _checkauth(request, exchange_type)
        handler = HANDLERS.get(mode)
        if handler is None:
            return _failure(_("Неизвестный режим обмена «%(mode)s».") % {"mode": mode})
        session = services.session_get(token=request.COOKIES.get(COOKIE_NAME, ""), exchange_type=exchange_type)
        return handler(request, session)
    except ExchangeError as error:
        return _failure(str(error))
    except Exception:
        logger.exception("1С: ошибка обмена type=%s mode=%s", exchange_type, mode)
        return _failure(_("Внутренняя ошибка сайта; подробности — в журнале сайта."))


def _checkauth(request, exchange_type):
    credentials = _basic_credentials(request)
    if credentials is None:
        return _failure(_("Нужна авторизация: укажите пользователя и пароль обмена в узле 1С."))
    connection = services.connection_authenticate(username=credentials[0], password=credentials[1])
    session = services.session_start(
        connection=connection, exchange_type=exchange_type, remote_addr=request.META.get("REMOTE_ADDR")
    )
    response = _answer("success", COOKIE_NAME, session.token)
    response.set_cookie(COOKIE_NAME, session.token, httponly=True, samesite="Lax")
    return response


def _init(request, session):
    services.session_init(session=session)
    use_zip = (session.connection.options or {}).get("zip", True)
    return _answer(f"zip={'yes' if use_zip else 'no'}", f"file_limit={settings.ONEC_FILE_LIMIT}")


def _file(request, session):
    length = request.META.get("CONTENT_LENGTH")
    _path, written = services.file_receive(
        session=session,
        filename=request.GET.get("filename", ""),
        stream=request,
        length=int(length) if length and length.isdigit() else None,
    )
    last_chunk = written < settings.ONEC_FILE_LIMIT
    if session.type == ExchangeType.SALE and last_chunk and request.GET.get("filename", "").casefold().endswith(".xml"):
        # Старые 1С не зовут import для файлов заказов: применяем сразу, как пришла последняя часть
        # (часть короче file_limit).
        job, created = services.import_start(session=session, filename=request.GET["filename"])
        if created:
            import_run(import_id=job.pk)
            job.refresh_from_db()
        if job.state == ImportState.FAILED:
            return _failure(job.error)
    return _answer("success")


def _import(request, session):
    job, created = services.import_start(session=session, filename=request.GET.get("filename", ""))
    if created:
        transaction.on_commit(lambda: onec_import.delay(job.pk))
        return _answer("progress", _("Файл %(name)s принят к загрузке.") % {"name": job.filename})
    job = ExchangeImport.objects.get(pk=job.pk)
    if job.state == ImportState.OK:
        return _answer(
            "success", _("Файл %(name)s загружен: %(counts)s") % {"name": job.filename, "counts": _counts(job)}
        )
    if job.state == ImportState.FAILED:
        return _failure(job.error)
    return _answer("progress", progress_get(job.pk) or _("Файл %(name)s загружается.") % {"name": job.filename})


def _counts(job):
    labels = {
        "created": _("создано"),
        "updated": _("обновлено"),
        "unchanged": _("без изменений"),
        "skipped": _("пропущено"),
        "failed": _("ошибок"),
    }
    return ", ".join(f"{labels[name]} {job.counts.get(name, 0)}" for name in labels)


def _query(request, session):
    encoding = (session.connection.options or {}).get("encoding", "utf-8")
    body, _count = orders_query(session=session, encoding=encoding)
    services.run_finish(session.sync_run)
    charset = "windows-1251" if encoding == "windows-1251" else "utf-8"
    return HttpResponse(body, content_type=f"application/xml; charset={charset}")


def _success(request, session):
    count = orders_confirm(session=session)
    if session.sync_run_id:
        run = session.sync_run
        run.created += count
        services.run_finish(run)
    return _answer("success")


def _complete(request, session):
    services.run_finish(session.sync_run)
    return _answer("success")


HANDLERS = {
    "init": _init,
    "file": _file,
    "import": _import,
    "query": _query,
    "success": _success,
    "complete": _complete,
    "deactivate": _complete,
}
