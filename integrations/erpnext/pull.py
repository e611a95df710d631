"""Загрузка из ERPNext: группы, товары с вариантами, картинки, цены и остатки — страницами по ``modified``.

Каждая страница списка — один запрос (поля и фильтры в запросе), плюс по одному запросу на
дочерние таблицы страницы (атрибуты вариантов, штрихкоды) — не запрос на товар. Запись —
через «каталог на вход» ядра (``integrations.core.catalog_in``), одна транзакция на страницу.
Курсор DocType сдвигается, только когда весь его проход записан: упавшая загрузка повторит
проход с прежнего места, а повтор уже записанного даёт «без изменений».
"""

import logging
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from urllib3.exceptions import HTTPError as StreamError

from integrations.core.catalog_in import CatalogInput, ImageIn
from integrations.core.http import HttpError
from integrations.core.models import Connection, ExternalKind
from integrations.core.sync import external_id_get
from integrations.erpnext import mapping
from integrations.erpnext.models import PullCursor
from integrations.erpnext.options import options_get

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
# Картинка больше этого не скачивается целиком (защита диска и памяти воркера).
IMAGE_MAX_BYTES = 20 * 1024 * 1024


def cursor_get(connection, doctype):
    return PullCursor.objects.filter(connection=connection, doctype=doctype).values_list("modified", flat=True).first()


def cursor_set(connection, doctype, modified):
    if modified:
        PullCursor.objects.update_or_create(connection=connection, doctype=doctype, defaults={"modified": modified})


class ErpnextPuller:
    """Один проход загрузки подключения ERPNext.

    Args:
        api: FrappeApi подключения.
        connection: подключение.
        run: SyncRun (счётчики и ошибки; сохраняет вызывающий).
        full: читать всё, а не только изменённое после курсоров.
        dry_run: только посчитать строки (ничего не записывать).
        progress: callable(done, total).
    """

    def __init__(self, *, api, connection, run, full=False, dry_run=False, progress=None):
        self.api = api
        self.connection = connection
        self.run = run
        self.full = full
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total: None)
        self.options = options_get(connection)
        self.page_size = self.options["page_size"]
        self.catalog = CatalogInput(
            connection=connection,
            run=run,
            keep_fields=self.options["keep"],
            price_lists=self.options["price_list_map"],
            warehouses=self.options["warehouse_map"],
            fallback_category_name=_("Из ERPNext без группы"),
        )
        self.roots = set()
        self.done = 0

    def _write(self, write, *args):
        """Записать в транзакции под блокировкой строки подключения.

        Загрузка по расписанию, ручная ``sync`` и вебхуки одного подключения пишут по очереди:
        иначе два прохода одновременно создали бы один новый товар дважды (каждый — до того,
        как другой запомнил внешний id). Блокировка держится только на запись страницы, не на
        скачивание картинок и не на весь проход.
        """
        with transaction.atomic():
            Connection.objects.select_for_update().filter(pk=self.connection.pk).first()
            return write(*args)

    # --- общий проход -----------------------------------------------------------------------

    def pull(self):
        """Загрузить всё по порядку: группы → товары → варианты → удалённые → цены → остатки."""
        self._pass("Item Group", mapping.ITEM_GROUP_FIELDS, self._groups_apply, cursor_key="Item Group")
        if not self.roots:
            self.roots = self._root_groups()
        self._pass(
            "Item",
            mapping.ITEM_FIELDS,
            self._items_apply,
            filters=[["variant_of", "is", "not set"]],
            cursor_key="Item",
        )
        self._pass(
            "Item",
            mapping.ITEM_FIELDS,
            self._variants_apply,
            filters=[["variant_of", "is", "set"]],
            cursor_key="Item:variants",
        )
        try:
            self._pass(
                "Deleted Document",
                ["deleted_name", "deleted_doctype"],
                self._deleted_apply,
                filters=[["deleted_doctype", "=", "Item"]],
                cursor_key="Deleted Document:Item",
            )
        except HttpError as error:
            if error.status != 403:
                raise
            # Журнал удалений ERPNext читает не всякая роль: без него загрузка остальное не бросает.
            self.run.error_add(
                obj="Deleted Document",
                message=_(
                    "Нет права читать удалённые документы: удалённые в ERPNext товары снимаются с продажи "
                    "вебхуком on_trash или полной загрузкой с deactivate_missing."
                ),
            )
        price_lists = sorted(self.options["price_list_map"])
        if price_lists:
            self._pass(
                "Item Price",
                mapping.ITEM_PRICE_FIELDS,
                self._prices_apply,
                filters=[["price_list", "in", price_lists], ["selling", "=", 1], ["customer", "is", "not set"]],
                cursor_key="Item Price",
            )
        else:
            self.run.error_add(obj=_("цены"), message=_("Не задано сопоставление прайс-листов (price_list_map)."))
        warehouses = sorted(self.options["warehouse_map"])
        if warehouses:
            self._pass(
                "Bin", mapping.BIN_FIELDS, self._bins_apply, filters=[["warehouse", "in", warehouses]], cursor_key="Bin"
            )
        else:
            self.run.error_add(obj=_("остатки"), message=_("Не задано сопоставление складов (warehouse_map)."))
        if self.full and not self.dry_run and self.options["deactivate_missing"]:
            self._write(self.catalog.products_deactivate_missing)

    def _pass(self, doctype, fields, apply, *, filters=(), cursor_key):
        since = None if self.full else cursor_get(self.connection, cursor_key)
        last = since
        for page in self.api.pages_modified(
            doctype, fields=fields, since=since, filters=filters, page_size=self.page_size
        ):
            if self.dry_run:
                self.run.skipped += len(page)
            else:
                apply(page)
            last = page[-1]["modified"]
            self.done += len(page)
            self.progress(self.done, self.done)
        if not self.dry_run and last != since:
            cursor_set(self.connection, cursor_key, last)

    # --- группы и товары --------------------------------------------------------------------

    def _root_groups(self):
        rows = self.api.list("Item Group", fields=["name"], filters=[["parent_item_group", "is", "not set"]], limit=50)
        return {row["name"] for row in rows}

    def _groups_apply(self, rows):
        self.roots |= mapping.root_groups(rows)
        categories = mapping.categories_from_groups(rows)
        if categories:
            self._write(self.catalog.categories_upsert, categories)

    def _children(self, doctype, fields, names):
        """Строки дочерней таблицы для страницы товаров одним запросом: {родитель: [строки]}."""
        result = {}
        if not names:
            return result
        rows = self.api.list_all(
            doctype,
            fields=fields,
            filters=[["parent", "in", sorted(names)], ["parenttype", "=", "Item"]],
            order_by="parent asc, idx asc",
            page_size=max(self.page_size * 4, 100),
            parent="Item",
        )
        for row in rows:
            result.setdefault(row["parent"], []).append(row)
        return result

    def _items_apply(self, rows, *, documents=False):
        """Шаблоны и простые товары страницы → товары; ``documents`` — строки уже с дочерними таблицами."""
        names = [row["name"] for row in rows]
        barcodes = (
            {row["name"]: row.get("barcodes") or [] for row in rows}
            if documents
            else self._children("Item Barcode", mapping.BARCODE_FIELDS, names)
        )
        with tempfile.TemporaryDirectory(prefix="erpnext-images-") as folder:
            products = [
                mapping.product_from_item(
                    row,
                    barcodes=barcodes.get(row["name"], ()),
                    images=self._images(row, Path(folder)),
                    root_groups=self.roots,
                )
                for row in rows
            ]
            self._write(self.catalog.products_upsert, products)

    def _variants_apply(self, rows, *, documents=False):
        """Варианты страницы → варианты шаблонов (атрибуты и штрихкоды — двумя запросами на страницу)."""
        names = [row["name"] for row in rows]
        if documents:
            attributes = {row["name"]: row.get("attributes") or [] for row in rows}
            barcodes = {row["name"]: row.get("barcodes") or [] for row in rows}
        else:
            attributes = self._children("Item Variant Attribute", mapping.ATTRIBUTE_FIELDS, names)
            barcodes = self._children("Item Barcode", mapping.BARCODE_FIELDS, names)
        variants = [
            mapping.variant_from_item(
                row, attributes=attributes.get(row["name"], ()), barcodes=barcodes.get(row["name"], ())
            )
            for row in rows
        ]
        self._write(self.catalog.variants_upsert, variants)

    def _deleted_apply(self, rows):
        """Снять с продажи удалённые товары — кроме тех, что с тем же кодом созданы заново (один запрос)."""
        names = sorted({row["deleted_name"] for row in rows if row.get("deleted_name")})
        if not names:
            return
        alive = {row["name"] for row in self.api.list_all("Item", fields=["name"], filters=[["name", "in", names]])}
        gone = [name for name in names if name not in alive]
        if gone:
            self._write(self.catalog.deactivate, gone)

    def _images(self, item, folder):
        """Скачать картинку товара во временную папку; None — картинки нет (не трогать текущие)."""
        if "images" in self.options["keep"]:
            return None
        url = (item.get("image") or "").strip()
        if not url:
            return None
        name = PurePosixPath(urlsplit(url).path).name
        if Path(name).suffix.lower() not in IMAGE_SUFFIXES:
            self.run.error_add(obj=item["name"], message=_("Картинка %(url)s — не изображение.") % {"url": url})
            return None
        target = folder / f"{len(list(folder.iterdir()))}-{name}"
        # Ключи API — только своему сайту ERPNext: картинка с чужого адреса (CDN) качается без них.
        own = not urlsplit(url).netloc or urlsplit(url).netloc == urlsplit(self.api.client.base_url).netloc
        response = None
        try:
            response = self.api.client.request("GET", url, headers=self.api.headers if own else {}, stream=True)
            content = response.raw.read(IMAGE_MAX_BYTES + 1, decode_content=True)
        except (HttpError, StreamError, OSError) as error:
            self.run.error_add(
                obj=item["name"], message=_("Картинка не скачана: %(error)s") % {"error": self.api.client.mask(error)}
            )
            return None
        finally:
            if response is not None:
                response.close()
        if len(content) > IMAGE_MAX_BYTES:
            self.run.error_add(obj=item["name"], message=_("Картинка %(url)s больше 20 МБ: пропущена.") % {"url": url})
            return None
        target.write_bytes(content)
        return [ImageIn(path=target, title=item.get("item_name") or item["name"])]

    # --- цены и остатки ---------------------------------------------------------------------

    def _prices_apply(self, rows):
        today = timezone.localdate()
        prices = [mapping.price_from_row(row) for row in rows if mapping.price_valid(row, today=today)]
        self.run.skipped += len(rows) - len(prices)
        if prices:
            self._write(self.catalog.prices_set, prices)

    def _bins_apply(self, rows):
        self._write(
            self.catalog.stocks_set, [mapping.stock_from_bin(row, self.options["stock_quantity"]) for row in rows]
        )

    # --- один документ (вебхук) ---------------------------------------------------------------

    def item_apply(self, name):
        """Перечитать товар по имени и применить; нет в ERPNext (удалён) — снять с продажи.

        Returns:
            str — что сделано: ``updated`` или ``deactivated``.
        """
        item = self.api.get("Item", name)
        if item is None:
            self._write(self.catalog.deactivate, [name])
            return "deactivated"
        if not self.roots:
            self.roots = self._root_groups()
        group = item.get("item_group")
        if (
            group
            and group not in self.roots
            and not external_id_get(connection=self.connection, kind=ExternalKind.CATEGORY, external_id=group)
        ):
            self._group_chain_apply(group)
        if item.get("variant_of"):
            template = item["variant_of"]
            if not external_id_get(connection=self.connection, kind=ExternalKind.PRODUCT, external_id=template):
                parent = self.api.get("Item", template)
                if parent is not None:
                    self._items_apply([parent], documents=True)
            self._variants_apply([item], documents=True)
        else:
            self._items_apply([item], documents=True)
        return "updated"

    def _group_chain_apply(self, group):
        """Загрузить группу товара и её предков, которых ещё нет (товар из вебхука в новой группе)."""
        chain = []
        while group and group not in self.roots and len(chain) < 20:
            row = self.api.get("Item Group", group)
            if row is None:
                break
            chain.append(row)
            group = row.get("parent_item_group")
        self._write(self.catalog.categories_upsert, mapping.categories_from_groups(chain))

    def item_price_apply(self, name):
        row = self.api.get("Item Price", name)
        if row is None:
            # Удалённая цена: наша остаётся, пока ERPNext не назначит новую (пустой цены у нас нет).
            self.run.skipped += 1
            return "missing"
        if row.get("price_list") not in self.options["price_list_map"] or row.get("customer"):
            self.run.skipped += 1
            return "skipped"
        self._prices_apply([row])
        return "updated"

    def bin_apply(self, name):
        row = self.api.get("Bin", name)
        if row is None or row.get("warehouse") not in self.options["warehouse_map"]:
            self.run.skipped += 1
            return "skipped"
        self._bins_apply([row])
        return "updated"


def catalog_pull(*, api, connection, run, full, dry_run, progress):
    """Выполнить загрузку подключения (одна транзакция на страницу; курсоры — после прохода DocType)."""
    puller = ErpnextPuller(api=api, connection=connection, run=run, full=full, dry_run=dry_run, progress=progress)
    puller.pull()
    return puller


def document_apply(*, api, connection, run, doctype, name):
    """Применить один перечитанный документ из вебхука (Item, Item Price, Bin); вернуть итог строкой."""
    puller = ErpnextPuller(api=api, connection=connection, run=run)
    with transaction.atomic():
        if doctype == "Item":
            return puller.item_apply(name)
        if doctype == "Item Price":
            return puller.item_price_apply(name)
        if doctype == "Bin":
            return puller.bin_apply(name)
    raise ValueError(doctype)
