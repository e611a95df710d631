"""Slug и коды объектов, пришедших из внешних систем: одно правило для всех коннекторов.

Категории, товары, атрибуты, значения атрибутов и прайс-листы, созданные загрузкой каталога,
получают slug (код) так:

1. из названия транслитерацией («Одежда» → ``odezhda``), если он свободен;
2. иначе — тот же slug с хешем пары «подключение + внешний id» (``odezhda-1a2b3c4d``): разные
   подключения с одинаковыми внешними id (два аккаунта МоегоСклада, пересозданное подключение,
   общий id «категории без групп») получают разные slug, а одна пара — всегда один и тот же;
3. если занят и он (объект заведён вручную или совпадение хеша) — номер ``-2``, ``-3``…

Slug выдаётся один раз, при создании объекта, и потом загрузкой не меняется (на него ведут
адреса витрины). Занятость проверяется одним запросом на пачку (:meth:`ExternalSlugs.reserve`)
и помнится в пределах пачки: новые объекты пачки пишутся одной командой.
"""

import hashlib

from commerce.exchange.lookups import slug_from_text, slug_unique

HASH_LENGTH = 8


def code_as_is(text, *, max_length):
    """Взять код как есть (артикул не транслитерируется и не приводится к slug)."""
    return str(text).strip()[:max_length]


def short_hash(text, length=HASH_LENGTH):
    """Короткий устойчивый хеш текста (hex SHA-1) для суффиксов slug и кодов."""
    return hashlib.sha1(str(text).encode(), usedforsecurity=False).hexdigest()[:length]


class ExternalSlugs:
    """Выдать уникальные slug (коды) новым объектам одной пачки загрузки.

    Args:
        model: модель, в которой slug уникален.
        connection: подключение — его id входит в хеш (разные подключения — разные slug).
        field: поле slug или кода.
        max_length: длина поля.
        base_length: длина slug из названия (остальное — место под суффикс); по умолчанию вся длина.
        scope: фильтр, в пределах которого slug уникален (значения атрибута — внутри атрибута).
        make_base: как сделать первый кандидат из текста: slug (по умолчанию) или :func:`code_as_is`.
    """

    def __init__(
        self, *, model, connection, field="slug", max_length, base_length=None, scope=None, make_base=slug_from_text
    ):
        self.model = model
        self.make_base = make_base
        self.connection_id = connection.pk
        self.field = field
        self.max_length = max_length
        self.base_length = min(base_length or max_length, max_length)
        self.scope = scope or {}
        self._taken = set()
        self._checked = set()

    def candidates(self, text, external_id):
        """Вернуть (slug из названия, slug с хешем подключения и внешнего id)."""
        base = self.make_base(text, max_length=self.base_length)
        suffix = "-" + short_hash(f"{self.connection_id}:{external_id}")
        return base, base[: self.max_length - len(suffix)].rstrip("-") + suffix

    def reserve(self, items):
        """Проверить занятость кандидатов пачки одним запросом: ``items`` — [(название, внешний id)]."""
        wanted = {candidate for text, external_id in items for candidate in self.candidates(text, external_id)}
        wanted -= self._checked
        if not wanted:
            return
        self._taken.update(
            self.model.objects.filter(**self.scope, **{f"{self.field}__in": wanted}).values_list(self.field, flat=True)
        )
        self._checked.update(wanted)

    def take(self, text, external_id):
        """Вернуть свободный slug для нового объекта и считать его занятым до конца пачки."""
        base, hashed = self.candidates(text, external_id)
        for candidate in (base, hashed):
            if not self._is_taken(candidate):
                self._taken.add(candidate)
                return candidate
        result = slug_unique(hashed, self._is_taken, max_length=self.max_length)
        self._taken.add(result)
        return result

    def claim(self, value):
        """Считать значение занятым до конца пачки (его взял существующий объект)."""
        self._taken.add(value)

    def _is_taken(self, value):
        if value in self._taken:
            return True
        if value not in self._checked:
            self._checked.add(value)
            if self.model.objects.filter(**self.scope, **{self.field: value}).exists():
                self._taken.add(value)
                return True
        return False
