"""Картинки МоегоСклада: галерея товара — его картинки, затем картинки его модификаций.

У варианта (SKU) магазина своих картинок нет (``commerce.catalog.models.ProductImage`` ссылается
только на товар), поэтому картинки модификации идут в галерею её товара после картинок самого
товара, а изображение Wagtail называется по модификации («Футболка (S, Белый)») — это название
витрина и отдаёт как ``alt``. Каждый файл скачивается один раз (``MoyskladImage``: id картинки →
изображение Wagtail), одинаковое содержимое даёт одно изображение.

Галерея товара пересобирается, когда у товара или одной из его модификаций есть картинки и
они новые или изменились с прошлого прохода. Список картинок и файлы читаются в потоках (их
не больше IMAGE_THREADS: МойСклад допускает 5 одновременных запросов, лимит общий) параллельно
с записью следующих страниц; изображения и галереи пишутся в потоке прохода в конце
(:meth:`Galleries.finish`), когда известны все модификации.
"""

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from integrations.core.catalog_in import CATALOG_IN_BATCH, ImageIn
from integrations.core.http import HttpError
from integrations.core.models import ExternalId, ExternalKind
from integrations.moysklad import mapping
from integrations.moysklad.client import entity_id
from integrations.moysklad.models import MoyskladImage

# Потоков для скачивания картинок: МойСклад допускает 5 одновременных запросов от пользователя.
IMAGE_THREADS = 4


class Galleries:
    """Галереи товаров одного прохода (или одного вебхука): что перечитать, скачать и записать.

    Args:
        api: MsApi подключения.
        connection: подключение.
        catalog: CatalogInput прохода (пишет изображения и галереи, ведёт журнал ошибок).
        full: полный проход — все модификации аккаунта придут в нём.
    """

    def __init__(self, *, api, connection, catalog, full=False):
        self.api = api
        self.connection = connection
        self.catalog = catalog
        self.full = full
        # Потоки, папка для файлов и скачанные картинки — при первой картинке (вебхуку без картинок не нужны).
        self._pool = None
        self._folder = None
        self._known = set()
        self._fetches = {}  # (тип, id) → future: [(строка картинки, файл или None)] или None
        self._listings = {}  # id товара → future: [(id модификации, название, картинки)] или None
        self._wanted = set()  # товары, чьи галереи пересобрать
        self._names = {}  # id товара → название (для картинок без своего названия)
        self._own = {}  # id товара → есть ли у самого товара картинки (товар был в проходе)
        self._complete = set()  # товары, все модификации которых прошли через проход
        self._variants = {}  # id товара → {id модификации: название} модификаций с картинками

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._folder.cleanup()

    def _submit_job(self, function, *args):
        if self._pool is None:
            self._known = set(
                MoyskladImage.objects.filter(connection=self.connection).values_list("image_id", flat=True)
            )
            self._folder = tempfile.TemporaryDirectory()
            self._pool = ThreadPoolExecutor(max_workers=IMAGE_THREADS)
        return self._pool.submit(function, *args)

    # --- страницы прохода ------------------------------------------------------------------

    def page_add(self, goods, *, since, variants_complete):
        """Учесть страницу ассортимента (до её записи) и отправить в фон чтение новых и изменённых картинок.

        Args:
            goods: mapping.Goods страницы.
            since: прошлый проход (картинки не менявшихся с него строк не перечитываются) или None.
            variants_complete: у товаров страницы пришли все модификации (иначе их список спросим).
        """
        since_text = mapping.moment(since) if since else ""
        known = self._known_ids(ExternalKind.PRODUCT, [item.external_id for item in goods.products])
        known |= self._known_ids(ExternalKind.VARIANT, [item.external_id for item in goods.variants])

        def changed(object_id):
            return not since_text or object_id not in known or goods.updated.get(object_id, "") >= since_text

        for product in goods.products:
            self._names[product.external_id] = product.name
            self._own[product.external_id] = product.external_id in goods.images
            if self.full or variants_complete or not goods.variants_count.get(product.external_id):
                self._complete.add(product.external_id)
        for product_id in goods.images:
            if product_id in self._names and changed(product_id):
                self._wanted.add(product_id)
                self._fetch("product", product_id)
        for variant_id, row in goods.variant_images.items():
            product_id = entity_id(row.get("product"))
            self._variants.setdefault(product_id, {})[variant_id] = row.get("name") or ""
            if changed(variant_id):
                self._wanted.add(product_id)
                self._fetch("variant", variant_id)
        # Картинки убрали: изменилась строка без картинок, а у её товара галерея уже есть.
        bare = {
            item.external_id
            for item in goods.products
            if item.external_id not in goods.images and changed(item.external_id)
        }
        bare |= {
            item.product_id
            for item in goods.variants
            if item.external_id not in goods.variant_images and changed(item.external_id)
        }
        self._wanted |= self.catalog.products_with_images(bare - self._wanted)

    def _known_ids(self, kind, external_ids):
        if not external_ids:
            return set()
        return set(
            ExternalId.objects.filter(
                connection=self.connection, kind=kind, external_id__in=list(external_ids)
            ).values_list("external_id", flat=True)
        )

    # --- сеть (в потоках, без базы данных) ---------------------------------------------------

    def _fetch(self, kind, owner_id):
        key = (kind, owner_id)
        if key not in self._fetches:
            self._fetches[key] = self._submit_job(self._images_fetch, kind, owner_id)
        return self._fetches[key]

    def _images_fetch(self, kind, owner_id):
        """Список картинок товара или модификации и файлы тех, что ещё не скачаны.

        Returns:
            [(строка картинки, путь к файлу или None — уже скачана)] или None, если списка нет.
        """
        try:
            rows = (self.api.get(f"/entity/{kind}/{owner_id}/images") or {}).get("rows") or []
        except HttpError as error:
            self.catalog._report_once(("images", owner_id), owner_id, str(error))
            return None
        result = []
        for image in rows:
            image_id = entity_id(image)
            href = (image.get("meta") or {}).get("downloadHref")
            if image_id in self._known or not href:
                result.append((image, None))
                continue
            try:
                content = self.api.download(href)
            except HttpError as error:
                self.catalog._report_once(("image", image_id), image.get("filename") or image_id, str(error))
                continue
            path = Path(self._folder.name) / owner_id / image_id
            path.mkdir(parents=True, exist_ok=True)
            path = path / (Path(image.get("filename") or "").name or "image.jpg")
            path.write_bytes(content)
            result.append((image, path))
        return result

    def _variants_fetch(self, product_id):
        """Модификации товара с картинками, если товар не проходил через проход: [(id, название)] или None."""
        try:
            rows = [
                row
                for page, _size in self.api.pages("/entity/variant", params={"filter": f"productid={product_id}"})
                for row in page
                if mapping.has_images(row)
            ]
        except HttpError as error:
            self.catalog._report_once(("images", product_id), product_id, str(error))
            return None
        return [(row["id"], row.get("name") or "") for row in rows]

    # --- запись (в потоке прохода) ----------------------------------------------------------

    def _submit(self, product_id):
        """Отправить в фон всё, что нужно для галереи товара (уже отправленное не повторяется)."""
        if self._own.get(product_id, True):
            self._fetch("product", product_id)
        if product_id in self._complete:
            for variant_id in self._variants.get(product_id, {}):
                self._fetch("variant", variant_id)
        elif product_id not in self._listings:
            self._listings[product_id] = self._submit_job(self._variants_fetch, product_id)

    def _sources(self, product_id):
        """Картинки галереи товара по порядку: [(название изображения или None, строки картинок или None)].

        Название None — у картинки товара: её собственное название, иначе название товара.
        """
        sources = []
        if self._own.get(product_id, True):
            sources.append((None, self._fetch("product", product_id).result()))
        if product_id in self._complete:
            listing = list(self._variants.get(product_id, {}).items())
        else:
            listing = self._listings[product_id].result()
            if listing is None:
                return [*sources, ("", None)]
        # Модификация, уже отправленная в фон со страницы прохода, не читается второй раз.
        futures = [(name, self._fetch("variant", variant_id)) for variant_id, name in listing]
        return [*sources, *((name, future.result()) for name, future in futures)]

    def finish(self):
        """Дождаться чтения картинок, записать новые изображения и пересобранные галереи товаров.

        Returns:
            число изменённых галерей.
        """
        wanted, self._wanted = sorted(self._wanted), set()
        for product_id in wanted:
            self._submit(product_id)
        plans = {product_id: self._sources(product_id) for product_id in wanted}
        image_ids = {entity_id(image) for sources in plans.values() for _t, rows in sources for image, _p in rows or ()}
        known = dict(
            MoyskladImage.objects.filter(connection=self.connection, image_id__in=image_ids).values_list(
                "image_id", "wagtail_image_id"
            )
        )
        galleries = {}
        for product_id, sources in plans.items():
            if any(rows is None for _title, rows in sources):
                continue  # список картинок не прочитан: галерея остаётся прежней (ошибка — в журнале)
            wagtail_ids = []
            for title, rows in sources:
                for image, path in rows:
                    # Картинка модификации названа по ней (alt на витрине), картинка товара — своим названием.
                    name = title or image.get("title") or self._names.get(product_id, "")
                    wagtail_id = self._image_resolve(image, path, name, known)
                    if wagtail_id is not None and wagtail_id not in wagtail_ids:
                        wagtail_ids.append(wagtail_id)
            galleries[product_id] = [ImageIn(image_id=wagtail_id) for wagtail_id in wagtail_ids]
        items = list(galleries.items())
        changed = 0
        for start in range(0, len(items), CATALOG_IN_BATCH):
            changed += self.catalog.product_images_set(dict(items[start : start + CATALOG_IN_BATCH]))
        return changed

    def _image_resolve(self, image, path, title, known):
        """Вернуть id изображения Wagtail для картинки МоегоСклада: скачанной раньше или из файла."""
        image_id = entity_id(image)
        if image_id not in known and path is not None:
            wagtail_id = self.catalog.image_get_or_create(ImageIn(path=path, title=title))
            if wagtail_id is not None:
                MoyskladImage.objects.get_or_create(
                    connection=self.connection, image_id=image_id, defaults={"wagtail_image_id": wagtail_id}
                )
                known[image_id] = wagtail_id
        return known.get(image_id)
