"""Страница проверки импорта в админке: подписи действий строк, честный итог и что делать дальше.

Итог пишется по состоянию задания и режиму: в режиме «Всё или ничего» файл с ошибками не
применяется вовсе, поэтому счётчики «создано/изменено» пробного прогона показаны как «было бы»,
а не как обещание. Числа — с русскими формами множественного числа (ngettext, каталог
locale/ru): «1 строка», «3 строки», «5 строк».
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commerce.exchange.import_diff import CREATED, REJECTED, UNCHANGED, UPDATED
from commerce.exchange.models import ImportMode, ImportStatus

# Действие со строкой файла — как его видит менеджер.
ACTION_LABELS = {
    CREATED: gettext_lazy("будет создана"),
    UPDATED: gettext_lazy("будет изменена"),
    UNCHANGED: gettext_lazy("без изменений"),
    REJECTED: gettext_lazy("отклонена"),
}
RUNNING = {ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.APPLYING}


def rows_text(count):
    """Вернуть «1 строка», «3 строки», «5 строк»."""
    return ngettext("%(count)d строка", "%(count)d строк", count) % {"count": count}


def preview_rows_labelled(preview):
    """Вернуть строки предпросмотра с подписью действия: [(номер, код, подпись, артикул, причина)]."""
    return [
        (number, action, ACTION_LABELS.get(action, action), sku, message) for number, action, sku, message in preview
    ]


def _counts_text(job, *, done):
    if done:
        parts = [
            ngettext("создана %(count)d", "создано %(count)d", job.rows_created) % {"count": job.rows_created},
            ngettext("изменена %(count)d", "изменено %(count)d", job.rows_updated) % {"count": job.rows_updated},
        ]
    else:
        parts = [
            _("будет создано: %(count)d") % {"count": job.rows_created},
            _("будет изменено: %(count)d") % {"count": job.rows_updated},
        ]
    parts.append(_("без изменений: %(count)d") % {"count": job.rows_unchanged})
    return ", ".join(parts)


def import_review_summary(*, job, can_confirm):
    """Сказать, что с импортом сейчас и что делать дальше.

    Returns:
        dict: {"tone": "info" | "warning" | "critical" | "success", "headline": str, "next_steps": [str]}.
    """
    if job.status in RUNNING:
        stage = _("Файл применяется.") if job.status == ImportStatus.APPLYING else _("Файл проверяется.")
        return {
            "tone": "info",
            "headline": stage,
            "next_steps": [_("Страница обновляется сама каждые 2 секунды — ждите итога здесь.")],
        }
    if job.status == ImportStatus.FAILED:
        return {
            "tone": "critical",
            "headline": _("Файл не прочитан: %(reason)s") % {"reason": job.error_message},
            "next_steps": [_("Исправьте файл (или сохраните его заново как XLSX или CSV) и загрузите снова.")],
        }
    total = rows_text(job.rows_total)
    rejected = job.rows_rejected
    all_or_nothing = job.mode == ImportMode.ALL_OR_NOTHING
    fix_steps = [
        _(
            "Исправьте строки по списку ошибок ниже или в файле отклонённых строк "
            "(столбец reason — причина) и загрузите исправленный файл снова."
        )
    ]
    if job.status == ImportStatus.PREVIEW and rejected and all_or_nothing:
        return {
            "tone": "critical",
            "headline": _(
                "Проверено: %(total)s, с ошибками — %(rejected)s. В режиме «Всё или ничего» файл с ошибками "
                "не применяется: ничего не будет записано. Без ошибок было бы: %(counts)s."
            )
            % {"total": total, "rejected": rows_text(rejected), "counts": _counts_text(job, done=False)},
            "next_steps": [
                *fix_steps,
                _(
                    "Или загрузите тот же файл в режиме «Применить верные строки»: верные строки запишутся, "
                    "отклонённые вернутся файлом."
                ),
            ],
        }
    if job.status == ImportStatus.PREVIEW:
        headline = _("Проверено: %(total)s; %(counts)s.") % {"total": total, "counts": _counts_text(job, done=False)}
        steps = []
        if rejected:
            headline += " " + _("Пропущено будет: %(rejected)s — они вернутся файлом отклонённых строк.") % {
                "rejected": rows_text(rejected)
            }
        if can_confirm:
            steps.append(_("Посмотрите предпросмотр ниже и нажмите «Подтвердить и применить»."))
        else:
            steps.append(_("Подтвердить импорт может сотрудник с нужными правами (они перечислены выше)."))
        if rejected:
            steps.extend(fix_steps)
        return {"tone": "warning" if rejected else "info", "headline": headline, "next_steps": steps}
    if job.status == ImportStatus.REJECTED:
        return {
            "tone": "critical",
            "headline": _(
                "Ничего не записано: отклонено %(rejected)s, а режим «Всё или ничего» применяет файл только целиком."
            )
            % {"rejected": rows_text(rejected)},
            "next_steps": fix_steps,
        }
    headline = _("Импорт применён: %(total)s; %(counts)s.") % {"total": total, "counts": _counts_text(job, done=True)}
    steps = [_("Проверьте изменённые товары в разделе «Каталог».")]
    if rejected:
        headline += " " + _("Не записано: %(rejected)s.") % {"rejected": rows_text(rejected)}
        steps.extend(fix_steps)
    return {"tone": "warning" if rejected else "success", "headline": headline, "next_steps": steps}
