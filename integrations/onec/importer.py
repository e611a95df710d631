"""Загрузка одного файла каталога 1С (import*, offers*, prices*, rests*) через «каталог на вход» ядра.

Весь файл — одна транзакция (пачки внутри — точки сохранения): ошибка в середине файла
оставляет прежний каталог нетронутым, а сообщение называет Ид элемента, на котором она случилась.
"""

import logging

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from integrations.core.catalog_in import CATALOG_IN_BATCH, CatalogInput
from integrations.core.models import Connection
from integrations.onec.parser import CommerceMLError, CommerceMLReader

logger = logging.getLogger(__name__)


def catalog_file_import(*, connection, run, path, folder, progress=None):
    """Загрузить файл каталога 1С в магазин; вернуть сводку FileSummary.

    Args:
        connection: подключение 1С (его настройки: price_types, warehouses, keep, deactivate_missing).
        run: SyncRun сессии (счётчики и ошибки; сохраняет вызывающий).
        path: путь XML в папке сессии.
        folder: папка сессии (картинки import_files/ — относительно неё).
        progress: callable(текст) — сообщение о ходе для ответа 1С ``progress``.

    Raises:
        CommerceMLError: файл не разобран или не записан; база не изменилась.
    """
    options = connection.options or {}
    reader = CommerceMLReader(path, folder=folder)
    catalog = CatalogInput(
        connection=connection,
        run=run,
        keep_fields=options.get("keep", ()),
        price_lists=options.get("price_types"),
        warehouses=options.get("warehouses"),
        fallback_category_name=_("Из 1С без группы"),
        # Файл — одна транзакция: предложения, индексы и поиск пересчитываются раз в конце файла.
        defer_refresh=True,
    )
    report = progress or (lambda message: None)
    counters = {"products": 0, "offers": 0}
    try:
        with transaction.atomic():
            # Два обмена одного подключения не пишут одновременно: второй ждёт конца первого.
            Connection.objects.select_for_update().filter(pk=connection.pk).first()
            _apply(reader, catalog, counters, report)
            if not reader.summary.kinds:
                raise CommerceMLError(_("В файле %(file)s нет ни каталога, ни предложений.") % {"file": path.name})
            only_changes = reader.summary.only_changes
            if options.get("deactivate_missing") and "catalog" in reader.summary.kinds and only_changes is False:
                catalog.products_deactivate_missing()
            report(_("пересчёт каталога"))
            catalog.refresh_pending()
    except CommerceMLError:
        raise
    except (DatabaseError, ValueError, ArithmeticError) as error:
        logger.exception("1С: файл %s не записан", path.name)
        raise CommerceMLError(
            _("Ошибка записи на элементе Ид «%(id)s» файла %(file)s: %(error)s")
            % {"id": reader.current_id or "—", "file": path.name, "error": error}
        ) from None
    return reader.summary


def _apply(reader, catalog, counters, report):
    categories, products, variants, prices, stocks = [], {}, {}, [], []

    def flush_products():
        if products:
            catalog.products_upsert(list(products.values()))
            counters["products"] += len(products)
            products.clear()
            report(_("загружено товаров: %(count)s") % {"count": counters["products"]})

    def flush_offers():
        if variants:
            catalog.variants_upsert(list(variants.values()))
            variants.clear()
        if prices:
            catalog.prices_set(list(prices))
            prices.clear()
        if stocks:
            catalog.stocks_set(list(stocks))
            stocks.clear()
        report(_("загружено предложений: %(count)s") % {"count": counters["offers"]})

    for kind, data in reader.events():
        if kind == "categories":
            categories.extend(data)
            for start in range(0, len(categories), CATALOG_IN_BATCH):
                catalog.categories_upsert(categories[start : start + CATALOG_IN_BATCH])
            categories.clear()
        elif kind == "product":
            same = products.get(data.external_id)
            if same is not None and data.variants:
                same.variants.extend(data.variants)  # 2.03: варианты одного товара подряд
            else:
                products[data.external_id] = data
            if len(products) >= CATALOG_IN_BATCH:
                flush_products()
        elif kind == "offer":
            flush_products()
            variant, offer_prices, offer_stocks = data
            if variant is not None:
                variants[variant.external_id] = variant
            prices.extend(offer_prices)
            stocks.extend(offer_stocks)
            counters["offers"] += 1
            if counters["offers"] % CATALOG_IN_BATCH == 0:
                flush_offers()
    flush_products()
    flush_offers()
