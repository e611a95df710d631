"""Потоковый разбор CommerceML 2 (2.03–2.10, 3.x для остатков) в dataclass-ы «каталога на вход».

Файл читается байтами (кодировку берёт объявление XML: UTF-8 с BOM или без, windows-1251),
элементы сравниваются по локальным именам без пространства имён и без учёта регистра
(``Штрихкод``/``ШтрихКод``), каждый обработанный элемент удаляется из дерева — память
ограничена размером одного товара. DTD и сущности запрещены (defusedxml): «XML-бомба» — ошибка.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from commerce.catalog.models import AttributeType
from integrations.core.catalog_in import (
    TOTAL_WAREHOUSE,
    AttributeValueIn,
    CategoryIn,
    ImageIn,
    PriceIn,
    ProductIn,
    StockIn,
    VariantIn,
)
from integrations.onec.units import VAT_NAME, unit_complete, vat_rate_parse

ZERO_GUID = "00000000-0000-0000-0000-000000000000"
ROOT = "коммерческаяинформация"


class CommerceMLError(Exception):
    """Файл нельзя загрузить: сообщение по-русски для ответа ``failure`` (с Ид и строкой, если известны)."""


def local(tag):
    """Локальное имя элемента без пространства имён, в нижнем регистре."""
    return tag.rsplit("}", 1)[-1].casefold() if isinstance(tag, str) else ""


def child(element, *names):
    names = {name.casefold() for name in names}
    for item in element:
        if local(item.tag) in names:
            return item
    return None


def children(element, *names):
    names = {name.casefold() for name in names}
    return [item for item in element if local(item.tag) in names]


def text(element, *names):
    found = child(element, *names) if names else element
    return (found.text or "").strip() if found is not None else ""


def flag(value):
    return str(value).strip().casefold() in {"true", "да", "1"}


def decimal(value):
    try:
        return Decimal(str(value).strip().replace(",", ".").replace(" ", "").replace("\xa0", ""))
    except (InvalidOperation, ValueError):
        return None


@dataclass
class Property:
    """Свойство классификатора: название, тип и варианты значений справочника {ИдЗначения: текст}."""

    name: str
    kind: str
    values: dict = field(default_factory=dict)


@dataclass
class FileSummary:
    """Что было в файле: виды содержимого, полный ли он, версия схемы."""

    version: str = ""
    kinds: set = field(default_factory=set)
    only_changes: bool | None = None


class CommerceMLReader:
    """Читатель файла CommerceML: ``events()`` выдаёт пары (вид, данные) по мере чтения.

    Виды: ``categories`` (list[CategoryIn], родители раньше детей), ``product`` (ProductIn),
    ``offer`` (VariantIn | None, list[PriceIn], list[StockIn]), ``document`` (Element «Документ»).

    Args:
        path: путь к XML.
        folder: папка сессии — относительно неё ищутся картинки ``import_files/...``.
    """

    def __init__(self, path, *, folder):
        self.path = path
        self.folder = folder
        self.properties = {}
        self.price_types = {}
        self.warehouses = {}
        self.summary = FileSummary()
        self.current_id = ""

    def events(self):
        stack = []
        try:
            for event, element in iterparse(str(self.path), events=("start", "end"), forbid_dtd=True):
                name = local(element.tag)
                if event == "start":
                    stack.append(element)
                    self._start(name, element, len(stack))
                    continue
                stack.pop()
                parent = local(stack[-1].tag) if stack else ""
                grand = local(stack[-2].tag) if len(stack) > 1 else ""
                produced = self._end(name, parent, grand, element)
                if produced is not None:
                    if stack:
                        stack[-1].remove(element)
                    yield produced
        except ParseError as error:
            line, column = getattr(error, "position", (0, 0))
            raise CommerceMLError(
                _("Файл %(file)s — не XML или повреждён (строка %(line)s, позиция %(column)s).")
                % {"file": self.path.name, "line": line, "column": column}
            ) from None
        except DefusedXmlException:
            raise CommerceMLError(
                _("Файл %(file)s содержит DTD или сущности XML — такие файлы не принимаются.")
                % {"file": self.path.name}
            ) from None

    def _start(self, name, element, depth):
        if depth == 1:
            if name != ROOT:
                raise CommerceMLError(
                    _("Файл %(file)s — не CommerceML: корневой элемент «%(root)s».")
                    % {"file": self.path.name, "root": element.tag.rsplit("}", 1)[-1]}
                )
            version = (element.get("ВерсияСхемы") or "").strip()
            self.summary.version = version
            if version.startswith("1."):
                raise CommerceMLError(
                    _("CommerceML %(version)s не поддерживается: включите в узле обмена 1С формат 2.x.")
                    % {"version": version}
                )
        if name in ("каталог", "пакетпредложений", "измененияпакетапредложений"):
            value = element.get("СодержитТолькоИзменения")
            if value is not None:
                self.summary.only_changes = flag(value)

    def _end(self, name, parent, grand, element):
        if name == "содержиттолькоизменения" and parent in (
            "каталог",
            "пакетпредложений",
            "измененияпакетапредложений",
        ):
            self.summary.only_changes = flag(element.text or "")
            return None
        if name == "группы" and parent == "классификатор":
            categories = []
            self._groups(element, None, categories)
            self.summary.kinds.add("classifier")
            return ("categories", categories)
        if name in ("свойство", "свойствономенклатуры") and parent == "свойства":
            self._property(element)
            element.clear()
            return None
        if name == "типцены" and parent == "типыцен":
            self.price_types[text(element, "Ид")] = text(element, "Наименование")
            return None
        if name == "склад" and parent == "склады" and grand in ("пакетпредложений", "классификатор"):
            self.warehouses[text(element, "Ид")] = text(element, "Наименование")
            return None
        if name == "товар" and parent == "товары" and grand == "каталог":
            self.summary.kinds.add("catalog")
            product = self._product(element)
            element.clear()
            return ("product", product)
        if name == "предложение" and parent == "предложения":
            self.summary.kinds.add("offers")
            offer = self._offer(element)
            element.clear()
            return ("offer", offer)
        if name == "документ" and parent == ROOT:
            self.summary.kinds.add("documents")
            return ("document", element)
        return None

    # --- классификатор -----------------------------------------------------------------------

    def _groups(self, element, parent_id, out):
        for group in children(element, "Группа"):
            group_id = text(group, "Ид")
            if not group_id:
                continue
            out.append(CategoryIn(external_id=group_id, name=text(group, "Наименование"), parent_id=parent_id))
            nested = child(group, "Группы")
            if nested is not None:
                self._groups(nested, group_id, out)

    def _property(self, element):
        property_id = text(element, "Ид")
        kind_text = text(element, "ТипЗначений").casefold()
        kind = {"справочник": AttributeType.CHOICE, "число": AttributeType.NUMBER}.get(kind_text, AttributeType.TEXT)
        values = {}
        variants = child(element, "ВариантыЗначений")
        if variants is not None:
            for item in children(variants, "Справочник"):
                values[text(item, "ИдЗначения")] = text(item, "Значение")
        self.properties[property_id] = Property(name=text(element, "Наименование"), kind=kind, values=values)

    # --- товар ---------------------------------------------------------------------------------

    def _requisites(self, element):
        result = {}
        block = child(element, "ЗначенияРеквизитов")
        if block is not None:
            for item in children(block, "ЗначениеРеквизита"):
                result[text(item, "Наименование").casefold()] = text(item, "Значение")
        return result

    def _property_values(self, element):
        values = []
        block = child(element, "ЗначенияСвойств")
        if block is None:
            return values
        for item in children(block, "ЗначенияСвойства", "ЗначениеСвойства"):
            property_id = text(item, "Ид")
            prop = self.properties.get(property_id)
            for value_element in children(item, "Значение"):
                raw = (value_element.text or "").strip()
                if not raw or raw == ZERO_GUID:
                    continue
                if prop is None:
                    name = text(item, "Наименование")
                    if name:
                        values.append(AttributeValueIn(name=name, value=raw, external_id=property_id, kind="text"))
                    continue
                value = prop.values.get(raw, raw) if prop.kind == AttributeType.CHOICE else raw
                values.append(AttributeValueIn(name=prop.name, value=value, external_id=property_id, kind=prop.kind))
        return values

    @staticmethod
    def _characteristics(element):
        block = child(element, "ХарактеристикиТовара")
        if block is None:
            return []
        return [
            AttributeValueIn(name=text(item, "Наименование"), value=text(item, "Значение"))
            for item in children(block, "ХарактеристикаТовара")
            if text(item, "Наименование") and text(item, "Значение")
        ]

    def _images(self, element):
        images = []
        for picture in children(element, "Картинка"):
            relative = (picture.text or "").strip()
            path = self._inside(relative)
            if path is not None:
                images.append(ImageIn(path=path))
        return images

    def _inside(self, relative):
        """Путь файла внутри папки сессии или None (пустой, абсолютный или с ``..``)."""
        if not relative:
            return None
        candidate = (self.folder / relative.replace("\\", "/")).resolve()
        folder = self.folder.resolve()
        if folder not in candidate.parents:
            return None
        return candidate

    @staticmethod
    def _unit(element):
        """БазоваяЕдиница: атрибуты Код/НаименованиеПолное/МеждународноеСокращение и текст «шт»
        (2.x) или вложенные Код/НаименованиеКраткое (часть выгрузок и 3.x); None — единицы нет."""
        unit = child(element, "БазоваяЕдиница")
        if unit is None:
            return None
        own = (unit.text or "").strip()
        code = unit.get("Код") or text(unit, "Код")
        if not code and own.isdigit():
            code, own = own, ""  # CommerceML 3: в элементе только код ОКЕИ
        return unit_complete(
            code=code,
            name=own or text(unit, "НаименованиеКраткое"),
            full_name=unit.get("НаименованиеПолное") or text(unit, "НаименованиеПолное"),
            international=unit.get("МеждународноеСокращение") or text(unit, "МеждународноеСокращение"),
        )

    @staticmethod
    def _vat_rate(element):
        """Ставка НДС из СтавкиНалогов/СтавкаНалога с Наименованием «НДС»; None — не указана или незнакома."""
        block = child(element, "СтавкиНалогов")
        if block is None:
            return None
        for rate in children(block, "СтавкаНалога"):
            if text(rate, "Наименование").casefold() in ("", VAT_NAME.casefold()):
                return vat_rate_parse(text(rate, "Ставка"))
        return None

    def _product(self, element):
        full_id = text(element, "Ид")
        self.current_id = full_id
        product_id, _sep, variant_part = full_id.partition("#")
        requisites = self._requisites(element)
        deleted = (element.get("Статус") or "").strip().casefold() == "удален" or flag(
            requisites.get("пометкаудаления", "") or text(element, "ПометкаУдаления")
        )
        groups = child(element, "Группы")
        category_ids = [text(item) for item in children(groups, "Ид")] if groups is not None else []
        weight = decimal(requisites.get("вес", "")) if requisites.get("вес") else None
        weight_grams = int(weight * 1000) if weight is not None and weight >= 0 else None
        html = requisites.get("описаниевформатеhtml")
        product = ProductIn(
            external_id=product_id,
            name=text(element, "Наименование") or requisites.get("полное наименование", ""),
            sku=text(element, "Артикул") or requisites.get("артикул", ""),
            barcode=text(element, "Штрихкод"),
            description=html if html else None,
            description_text=None if html else text(element, "Описание"),
            category_ids=category_ids,
            attributes=self._property_values(element),
            images=self._images(element),
            weight_grams=weight_grams,
            active=not deleted,
            unit=self._unit(element),
            vat_rate=self._vat_rate(element),
        )
        characteristics = self._characteristics(element)
        if variant_part:
            # 2.03: товар каталога уже «товар#характеристика» — это вариант.
            product.variants = [
                VariantIn(
                    external_id=full_id,
                    product_id=product_id,
                    sku=product.sku,
                    name=", ".join(value.value for value in characteristics) or None,
                    barcode=product.barcode,
                    weight_grams=weight_grams,
                    attributes=characteristics,
                    active=not deleted,
                )
            ]
        else:
            product.attributes += [
                AttributeValueIn(name=value.name, value=value.value, kind="text") for value in characteristics
            ]
        return product

    # --- предложение ---------------------------------------------------------------------------

    def _offer(self, element):
        full_id = text(element, "Ид")
        characteristic = text(element, "ИдХарактеристики")
        if characteristic and "#" not in full_id:
            full_id = f"{full_id}#{characteristic}"
        self.current_id = full_id
        product_id, _sep, variant_part = full_id.partition("#")
        variant = None
        characteristics = self._characteristics(element)
        if variant_part:
            variant = VariantIn(
                external_id=full_id,
                product_id=product_id,
                sku=text(element, "Артикул"),
                name=", ".join(value.value for value in characteristics) or text(element, "Наименование") or None,
                barcode=text(element, "Штрихкод"),
                attributes=characteristics,
            )
        prices = []
        block = child(element, "Цены")
        if block is not None:
            for price in children(block, "Цена"):
                amount = decimal(text(price, "ЦенаЗаЕдиницу"))
                type_id = text(price, "ИдТипаЦены")
                if amount is None or amount < 0 or not type_id:
                    continue
                prices.append(
                    PriceIn(
                        variant_id=full_id,
                        price_list_id=type_id,
                        price=amount,
                        price_list_name=self.price_types.get(type_id, ""),
                    )
                )
        return variant, prices, self._stocks(element, full_id)

    def _stocks(self, element, variant_id):
        stocks = {}
        for item in children(element, "Склад"):
            warehouse_id = item.get("ИдСклада")
            if warehouse_id:
                stocks[warehouse_id] = decimal(item.get("КоличествоНаСкладе") or "0") or Decimal(0)
        holder = child(element, "Склады")
        if holder is not None:
            for item in children(holder, "Склад"):
                warehouse_id = item.get("ИдСклада")
                if warehouse_id:
                    stocks[warehouse_id] = decimal(item.get("КоличествоНаСкладе") or "0") or Decimal(0)
        total = None
        rests = child(element, "Остатки")
        if rests is not None:
            for rest in children(rests, "Остаток"):
                warehouse = child(rest, "Склад")
                if warehouse is not None and text(warehouse, "Ид"):
                    stocks[text(warehouse, "Ид")] = decimal(text(warehouse, "Количество")) or Decimal(0)
                elif text(rest, "Количество"):
                    total = decimal(text(rest, "Количество"))
        if total is None and text(element, "Количество"):
            total = decimal(text(element, "Количество"))
        result = [
            StockIn(
                variant_id=variant_id, warehouse_id=key, quantity=value, warehouse_name=self.warehouses.get(key, "")
            )
            for key, value in stocks.items()
        ]
        if not result and total is not None:
            result.append(StockIn(variant_id=variant_id, warehouse_id=TOTAL_WAREHOUSE, quantity=total))
        return result
