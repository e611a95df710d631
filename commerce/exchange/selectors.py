"""Чтение журнала обмена с учётом прав: свои задания — всем, у кого есть право запуска, чужие — с правом просмотра.

Чужое задание, которое пользователю не видно, для него не существует (404, а не 403): так по
номерам заданий нельзя узнать, кто и когда загружал каталог.
"""

from commerce.exchange import permissions as exchange_permissions
from commerce.exchange.models import ExportJob, ImportJob


def import_jobs_visible(*, user):
    """Вернуть импорты, которые видит пользователь: все с exchange.view_importjob, иначе свои."""
    jobs = ImportJob.objects.all()
    if user.has_perm(exchange_permissions.VIEW_ALL_IMPORTS):
        return jobs
    return jobs.filter(user_id=user.pk)


def export_jobs_visible(*, user):
    """Вернуть экспорты, которые видит пользователь: все с exchange.view_exportjob, иначе свои."""
    jobs = ExportJob.objects.all()
    if user.has_perm(exchange_permissions.VIEW_ALL_EXPORTS):
        return jobs
    return jobs.filter(user_id=user.pk)


def import_job_get(*, user, pk):
    """Вернуть видимый пользователю импорт по id или None."""
    return import_jobs_visible(user=user).filter(pk=pk).first()


def export_job_get(*, user, pk):
    """Вернуть видимый пользователю экспорт по id или None."""
    return export_jobs_visible(user=user).filter(pk=pk).first()
