"""Загрузка каталога, цен и остатков из МоегоСклада через «каталог на вход» ядра.

Проход: единицы измерения → группы (родители раньше детей) → ассортимент страницами по 1000
(товары, модификации; услуги и комплекты пропускаются с причиной) → модификации и цены →
галереи новых и изменённых товаров (картинки товара и его модификаций скачиваются один раз,
в фоне, ``integrations.moysklad.images``) → остатки по складам.
Полный проход снимает с продажи товары, которых в МоёмСкладе больше нет; инкрементальный
берёт только изменённое с курсора (``updated>=``), остатки — коротким отчётом ``changedSince``.
"""

import contextlib
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from integrations.core.catalog_in import CATALOG_IN_BATCH, CatalogInput
from integrations.core.models import ExternalId, ExternalKind
from integrations.moysklad import mapping
from integrations.moysklad.client import PAGE_LIMIT
from integrations.moysklad.images import Galleries
from integrations.moysklad.models import MoyskladSyncState
from integrations.moysklad.options import options_get

logger = logging.getLogger(__name__)

# Запас курсора: часы МоегоСклада и наши могут расходиться, а запись — попасть между запросами.
CURSOR_OVERLAP = timedelta(minutes=5)
# Короткий отчёт об остатках помнит изменения не дольше суток.
CURRENT_REPORT_MAX_AGE = timedelta(hours=23)
BOTH_ARCHIVED = "archived=true;archived=false"


def _chunks(items, size=CATALOG_IN_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class CatalogPuller:
    """Один проход загрузки из МоегоСклада.

    Args:
        api: MsApi подключения.
        connection: подключение.
        run: SyncRun (счётчики и ошибки; сохраняет вызывающий).
        dry_run: только прочитать и посчитать.
        progress: callable(done, total).
    """

    def __init__(self, *, api, connection, run, dry_run=False, progress=None):
        self.api = api
        self.connection = connection
        self.run = run
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total: None)
        self.options = options_get(connection)
        self.catalog = CatalogInput(
            connection=connection,
            run=run,
            keep_fields=self.options["keep"],
            price_lists=self.options["price_types"] or None,
            warehouses=self.options["stores"] or None,
        )
        self.product_prices = {}
        self.product_weights = {}
        self._uoms = None
        self._stores = None
        # Галереи товаров на время прохода (pull): картинки читаются в фоне, пишутся в конце.
        self._galleries = None

    # --- справочники -----------------------------------------------------------------------

    def uoms(self):
        """Единицы измерения {id: название} — один запрос на проход."""
        if self._uoms is None:
            self._uoms = {}
            for rows, _size in self.api.pages("/entity/uom"):
                self._uoms.update({row["id"]: row.get("name", "") for row in rows})
        return self._uoms

    def stores(self):
        """Склады {id: название} — для сопоставления складов по названию в коротком отчёте."""
        if self._stores is None:
            self._stores = {}
            for rows, _size in self.api.pages("/entity/store"):
                self._stores.update({row["id"]: row.get("name", "") for row in rows})
        return self._stores

    def folders_load(self, *, since=None):
        """Загрузить группы товаров (все или изменённые) деревом: родители раньше детей."""
        params = {"filter": f"updated>={mapping.moment(since)}"} if since else {}
        folders = []
        for rows, _size in self.api.pages("/entity/productfolder", params=params):
            folders.extend(rows)
        folders.sort(key=mapping.folder_depth)
        if self.dry_run:
            self.run.skipped += len(folders)
            return
        for chunk in _chunks([mapping.category_in(folder) for folder in folders]):
            self.catalog.categories_upsert(chunk)

    # --- товары ----------------------------------------------------------------------------

    def goods_apply(self, rows, *, since=None, deferred=None, images_since=None, variants_refresh=True):
        """Применить строки ассортимента: товары сразу, модификации и их цены — в ``deferred``.

        ``variants_refresh``: перечитать модификации изменённых товаров — модификация без своих цен
        берёт цены товара, а сама при смене цены товара не меняется и в изменённые не попадает.
        В полном проходе не нужно: там приходят все модификации.
        """
        if variants_refresh:
            rows = [*rows, *self._variants_of_changed(rows)]
        goods = mapping.goods_from_rows(
            rows,
            price_types=self.options["price_types"],
            uoms=self.uoms(),
            product_prices=self.product_prices,
            product_weights=self.product_weights,
        )
        for obj, reason in goods.skipped:
            self.run.skip_add(obj=obj, reason=reason)
        if self.dry_run:
            self.run.skipped += len(goods.products) + len(goods.variants)
            return goods
        # В проходе галереи пишутся в его конце; вебхук пишет их сразу после своих товаров.
        own = self.options["images"] and self._galleries is None
        galleries = (
            Galleries(api=self.api, connection=self.connection, catalog=self.catalog)
            if own
            else contextlib.nullcontext(self._galleries)
        )
        with galleries as galleries:
            if self.options["images"]:
                galleries.page_add(goods, since=images_since or since, variants_complete=variants_refresh)
            for chunk in _chunks(goods.products):
                self.catalog.products_upsert(chunk)
            if deferred is None:
                self.variants_apply(goods.variants, goods.prices)
            else:
                deferred["variants"].extend(goods.variants)
                deferred["prices"].extend(goods.prices)
            if own:
                galleries.finish()
        return goods

    def _variants_of_changed(self, rows):
        """Модификации изменённых товаров с модификациями (один запрос на товар), которых нет в ``rows``."""
        present = {row.get("id") for row in rows}
        extra = []
        for row in rows:
            if (row.get("meta") or {}).get("type", "product") != "product" or not int(row.get("variantsCount") or 0):
                continue
            for variants, _size in self.api.pages("/entity/variant", params={"filter": f"productid={row['id']}"}):
                extra.extend(variant for variant in variants if variant.get("id") not in present)
        return extra

    def variants_apply(self, variants, prices):
        for chunk in _chunks(variants):
            self.catalog.variants_upsert(chunk)
        for chunk in _chunks(prices):
            self.catalog.prices_set(chunk)

    def goods_load(self, *, since=None, images_since=None):
        """Загрузить ассортимент страницами (с архивными — они станут неактивными)."""
        condition = BOTH_ARCHIVED if since is None else f"updated>={mapping.moment(since)};{BOTH_ARCHIVED}"
        deferred = {"variants": [], "prices": []}
        done = 0
        for rows, size in self.api.pages("/entity/assortment", params={"filter": condition}, limit=PAGE_LIMIT):
            self.goods_apply(
                rows, since=since, deferred=deferred, images_since=images_since, variants_refresh=since is not None
            )
            done += len(rows)
            self.progress(done, size)
        if not self.dry_run:
            # Модификации — после всех товаров: товар модификации мог прийти на более поздней странице.
            self.variants_apply(deferred["variants"], deferred["prices"])

    # --- остатки ---------------------------------------------------------------------------

    def stocks_full(self):
        """Остатки по складам отчётом /report/stock/bystore (доступно = остаток − резерв)."""
        for rows, _size in self.api.pages("/report/stock/bystore"):
            stocks = mapping.stocks_from_bystore(rows)
            if self.dry_run:
                continue
            for chunk in _chunks(self._known_variants(stocks)):
                self.catalog.stocks_set(chunk)

    def stocks_changed(self, *, since):
        """Остатки, изменённые с ``since``, коротким отчётом (не старше суток)."""
        rows = self.api.get(
            "/report/stock/bystore/current",
            params={"stockType": "freeStock", "changedSince": mapping.moment(since)},
        )
        stocks = mapping.stocks_from_current(rows or [], self.stores() if rows else {})
        if not self.dry_run:
            for chunk in _chunks(self._known_variants(stocks)):
                self.catalog.stocks_set(chunk)
        return len(stocks)

    def _known_variants(self, stocks):
        """Оставить остатки наших вариантов: услуги, комплекты и пропущенные товары не считаются."""
        known = set(
            ExternalId.objects.filter(
                connection=self.connection,
                kind=ExternalKind.VARIANT,
                external_id__in={item.variant_id for item in stocks},
            ).values_list("external_id", flat=True)
        )
        return [item for item in stocks if item.variant_id in known]

    # --- проход ----------------------------------------------------------------------------

    def pull(self, *, full):
        """Выполнить проход (полный или с курсора) и сдвинуть курсоры после успеха."""
        state, _created = MoyskladSyncState.objects.get_or_create(connection=self.connection)
        started = timezone.now()
        since = None if full or state.catalog_since is None else state.catalog_since - CURSOR_OVERLAP
        # Картинки и в полном проходе перечитываются только у товаров, изменённых с прошлого раза.
        images_since = state.catalog_since - CURSOR_OVERLAP if state.catalog_since else None
        self.folders_load(since=since)
        with Galleries(api=self.api, connection=self.connection, catalog=self.catalog, full=since is None) as galleries:
            self._galleries = galleries
            try:
                self.goods_load(since=since, images_since=images_since)
                if not self.dry_run:
                    galleries.finish()
            finally:
                self._galleries = None
        stock_since = None if full or state.stock_since is None else state.stock_since - CURSOR_OVERLAP
        if stock_since is None or started - stock_since > CURRENT_REPORT_MAX_AGE:
            self.stocks_full()
        else:
            self.stocks_changed(since=stock_since)
        if full and not self.dry_run:
            self.catalog.products_deactivate_missing()
        if not self.dry_run:
            with transaction.atomic():
                MoyskladSyncState.objects.filter(pk=state.pk).update(catalog_since=started, stock_since=started)
        logger.info("МойСклад %s: проход (полный: %s) за %s запросов", self.connection.code, full, self.api.requests)
