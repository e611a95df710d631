"""Потоковое чтение книги XLSX и CSV со стражами размера, архива и кодировки.

XLSX читается своим потоковым разбором XML листа (expat с обработчиками, без дерева
элементов; DTD и сущности запрещены, как в defusedxml), а не openpyxl: openpyxl в режиме
read_only читает 250 тыс. строк × 14 столбцов около 76 с, разбор листа напрямую — около 15 с
на 250 тыс. строк × 34 столбца, при ограниченной памяти (строка за строкой). В памяти
целиком — только таблица общих строк: её читает тот же expat, а хранит SharedStrings — один
буфер UTF-8 и массив смещений (около 8 байт на строку сверх самого текста вместо ~150 байт
у списка строк Python), и число строк ограничено EXCHANGE_MAX_SHARED_STRINGS. Служебные части
книги (workbook.xml, связи) по-прежнему разбирает defusedxml.

Стражи (всё проверяется до чтения строк, ничего не пишется):
- размер загруженного файла — EXCHANGE_MAX_UPLOAD_BYTES;
- распакованный размер и степень сжатия каждого члена архива — защита от zip-бомбы;
- старый .xls, картинка, PDF, любой двоичный файл — понятная ошибка «не таблица»;
- CSV: UTF-8 (с BOM или без), иначе Windows-1251; разделитель ; , или табуляция.

Пределы содержимого (проверяются по ходу чтения, в задаче проверки, а не в запросе загрузки):
общих строк — EXCHANGE_MAX_SHARED_STRINGS, строк листа — EXCHANGE_MAX_ROWS, ячеек листа (по
ширине строк) — EXCHANGE_MAX_CELLS, столбец — не дальше XFD (16 384, предел Excel): ссылка
на ячейку «ZZZZZZZ1» иначе заставила бы заполнить строку миллиардами пустых значений.
Запрос загрузки делает только upload_check: размер и первые байты, без разбора.
"""

import array
import codecs
import csv
import io
import posixpath
import queue
import re
import threading
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce.exchange import error_codes

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Имена элементов листа так, как их отдаёт expat с namespace_separator="}".
X_ROW = NS_MAIN[1:] + "row"
X_CELL = NS_MAIN[1:] + "c"
X_VALUE = NS_MAIN[1:] + "v"
X_TEXT = NS_MAIN[1:] + "t"
X_PHONETIC = NS_MAIN[1:] + "rPh"
X_SHARED_ITEM = NS_MAIN[1:] + "si"
# Последний столбец Excel — XFD: 16 384 столбца.
MAX_COLUMNS = 16384
# Сколько первых байтов смотрит upload_check, чтобы узнать двоичный файл.
SNIFF_BYTES = 64 * 1024
CELL_REFERENCE = re.compile(r"([A-Z]+)(\d+)")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
CSV_DELIMITERS = ";,\t"
BINARY_FILE_MESSAGE = gettext_lazy("Файл не похож на таблицу: это двоичный файл, а не XLSX или CSV.")


class ExchangeFileError(Exception):
    """Файл нельзя прочитать как таблицу обмена; code — стабильный код, message — по-русски."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = str(message)


def limit(name, default):
    """Вернуть предел из настроек (EXCHANGE_*), иначе значение по умолчанию."""
    return getattr(settings, name, default)


@dataclass
class SheetRows:
    """Строки листа: итератор пар (номер строки, список значений) и доля прочитанного."""

    name: str
    rows: object
    progress: object


class CountingReader(io.RawIOBase):
    """Обёртка над потоком, считающая прочитанные байты (для процента выполнения)."""

    def __init__(self, stream):
        self.stream = stream
        self.count = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size


def column_index(letters):
    """Номер столбца от нуля по буквам: A → 0, AB → 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


class XlsxWorkbook:
    """Книга XLSX: листы по именам, общие строки, потоковое чтение строк листа."""

    format = "xlsx"

    def __init__(self, fileobj):
        try:
            self.archive = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ExchangeFileError(error_codes.FILE_BROKEN, _("Файл XLSX повреждён: архив не читается.")) from error
        self._guard_archive()
        self.sheets = self._sheet_paths()
        self.shared_strings = self._shared_strings()

    def _guard_archive(self):
        max_unpacked = limit("EXCHANGE_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)
        max_ratio = limit("EXCHANGE_MAX_COMPRESSION_RATIO", 200)
        members = self.archive.infolist()
        if len(members) > 1000:
            raise ExchangeFileError(
                error_codes.FILE_ARCHIVE_SUSPICIOUS,
                _("В архиве XLSX слишком много файлов: %(count)s.") % {"count": len(members)},
            )
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > max_ratio:
                raise ExchangeFileError(
                    error_codes.FILE_ARCHIVE_SUSPICIOUS,
                    _("Файл XLSX похож на zip-бомбу: «%(name)s» сжат в %(ratio)d раз.")
                    % {"name": member.filename, "ratio": ratio},
                )
        if total > max_unpacked:
            raise ExchangeFileError(
                error_codes.FILE_ARCHIVE_SUSPICIOUS,
                _("Файл XLSX в распакованном виде занимает %(size)d МБ, допустимо не больше %(limit)d МБ.")
                % {"size": total // 2**20, "limit": max_unpacked // 2**20},
            )

    def _parse(self, name):
        try:
            with self.archive.open(name) as stream:
                return SafeElementTree.parse(stream).getroot()
        except KeyError as error:
            raise ExchangeFileError(
                error_codes.FILE_NOT_SPREADSHEET, _("Архив не является книгой XLSX: нет «%(name)s».") % {"name": name}
            ) from error
        except (SafeElementTree.ParseError, zipfile.BadZipFile, ValueError) as error:
            raise ExchangeFileError(
                error_codes.FILE_BROKEN, _("Файл XLSX повреждён: «%(name)s» не читается.") % {"name": name}
            ) from error

    def _sheet_paths(self):
        workbook = self._parse("xl/workbook.xml")
        relations = self._parse("xl/_rels/workbook.xml.rels")
        targets = {}
        for relation in relations.iter(NS_PKG_REL + "Relationship"):
            target = relation.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[relation.get("Id")] = path
        sheets = {}
        for sheet in workbook.iter(NS_MAIN + "sheet"):
            path = targets.get(sheet.get(NS_REL + "id"))
            if path:
                sheets[sheet.get("name", "")] = path
        if not sheets:
            raise ExchangeFileError(error_codes.FILE_EMPTY, _("В книге нет ни одного листа."))
        return sheets

    def _shared_strings(self):
        """Прочитать таблицу общих строк потоком (expat) в компактное хранилище с пределом числа строк.

        Текст элемента <si> — все <t>, в том числе из прогонов <r>, кроме фонетических <rPh>.
        """
        strings = SharedStrings()
        if "xl/sharedStrings.xml" not in self.archive.namelist():
            return strings
        max_strings = limit("EXCHANGE_MAX_SHARED_STRINGS", 2_000_000)
        parser = _safe_parser()
        state = {"parts": None, "collect": False, "phonetic": 0}

        def start(name, _attributes):
            if name == X_SHARED_ITEM:
                state["parts"] = []
            elif name == X_TEXT:
                state["collect"] = not state["phonetic"]
            elif name == X_PHONETIC:
                state["phonetic"] += 1

        def end(name):
            if name == X_TEXT:
                state["collect"] = False
            elif name == X_SHARED_ITEM:
                if len(strings) >= max_strings:
                    raise ExchangeFileError(
                        error_codes.FILE_TOO_MANY_STRINGS,
                        _("В файле XLSX больше %(limit)s разных текстов (общих строк): так много не бывает в каталоге.")
                        % {"limit": max_strings},
                    )
                strings.append("".join(state["parts"] or ()))
                state["parts"] = None
            elif name == X_PHONETIC:
                state["phonetic"] -= 1

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = _text_collector(state)
        with self.archive.open("xl/sharedStrings.xml") as stream:
            _parse_stream(parser, stream, _("Файл XLSX повреждён: общие строки не читаются."))
        return strings

    @property
    def sheet_names(self):
        return list(self.sheets)

    def sheet(self, name):
        """Вернуть строки листа name (итератор строится лениво)."""
        path = self.sheets[name]
        size = self.archive.getinfo(path).file_size or 1
        counter = CountingReader(self.archive.open(path))
        return SheetRows(name=name, rows=self._rows(counter), progress=lambda: min(counter.count / size, 1.0))

    def _rows(self, stream):
        """Читать строки листа потоком: expat с обработчиками вместо дерева элементов.

        Лист на 250 тыс. строк — миллионы элементов; ElementTree строит объект на каждый и
        через defusedxml идёт чистым Python (около 40 с). Здесь expat вызывает три маленьких
        обработчика, а строка собирается списком. Защита та же, что у defusedxml: DTD и
        объявления сущностей запрещены (в листе XLSX их не бывает), внешние сущности не читаются.
        """
        shared = self.shared_strings
        parser = _safe_parser()
        ready = []
        bounds = RowBounds()
        state = {"row": 0, "values": None, "position": 0, "kind": None, "parts": None, "collect": False, "phonetic": 0}

        def start(name, attributes):
            if name == X_CELL:
                reference = attributes.get("r")
                if reference:
                    match = CELL_REFERENCE.match(reference)
                    if match:
                        position = column_index(match.group(1))
                        if position >= MAX_COLUMNS:
                            raise ExchangeFileError(
                                error_codes.FILE_BROKEN,
                                _("Файл XLSX повреждён: ячейка «%(cell)s» за последним столбцом Excel (XFD).")
                                % {"cell": reference[:20]},
                            )
                        state["position"] = position
                state["kind"] = attributes.get("t")
                state["parts"] = []
            elif name in (X_VALUE, X_TEXT):
                state["collect"] = not state["phonetic"]
            elif name == X_ROW:
                number_text = attributes.get("r")
                state["row"] = int(number_text) if number_text else state["row"] + 1
                state["values"] = []
                state["position"] = 0
            elif name == X_PHONETIC:
                state["phonetic"] += 1

        def end(name):
            if name in (X_VALUE, X_TEXT):
                state["collect"] = False
            elif name == X_CELL:
                values = state["values"]
                if values is None:
                    return
                position = state["position"]
                while len(values) < position:
                    values.append(None)
                values.append(_cell_text_value(state["kind"], state["parts"], shared))
                state["position"] = position + 1
                state["parts"] = None
            elif name == X_ROW:
                values = state["values"]
                bounds.add(len(values))
                ready.append((state["row"], values))
                state["values"] = None
            elif name == X_PHONETIC:
                state["phonetic"] -= 1

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = _text_collector(state)
        try:
            while chunk := stream.read(1 << 20):
                parser.Parse(chunk, False)
                if ready:
                    yield from ready
                    ready.clear()
            parser.Parse(b"", True)
            yield from ready
        except expat.ExpatError as error:
            raise ExchangeFileError(error_codes.FILE_BROKEN, _("Файл XLSX повреждён: лист не читается.")) from error
        finally:
            stream.close()

    def close(self):
        self.archive.close()


class SharedStrings:
    """Таблица общих строк книги: текст в одном буфере UTF-8 и массив смещений вместо списка str.

    Список из 5,5 млн коротких строк Python занимал около 840 МБ (объект str — от 50 байт,
    плюс указатель в списке); здесь — длина текста в UTF-8 и 8 байт смещения на строку.
    Строка декодируется при каждом обращении: это дешевле разбора ячейки, и текст ячейки
    каталога читается один раз.
    """

    def __init__(self):
        self.buffer = bytearray()
        self.offsets = array.array("Q", [0])

    def append(self, text):
        self.buffer += text.encode("utf-8", "surrogatepass")
        self.offsets.append(len(self.buffer))

    def __len__(self):
        return len(self.offsets) - 1

    def __getitem__(self, index):
        if index < 0:
            raise IndexError(index)
        offsets = self.offsets
        return self.buffer[offsets[index] : offsets[index + 1]].decode("utf-8", "surrogatepass")


class RowBounds:
    """Счётчик строк и ячеек листа с пределами EXCHANGE_MAX_ROWS и EXCHANGE_MAX_CELLS."""

    def __init__(self):
        self.max_rows = limit("EXCHANGE_MAX_ROWS", 1_000_000)
        self.max_cells = limit("EXCHANGE_MAX_CELLS", 50_000_000)
        self.rows = 0
        self.cells = 0

    def add(self, width):
        """Учесть строку шириной width ячеек; Raises: ExchangeFileError, если предел превышен."""
        self.rows += 1
        self.cells += width
        if self.rows > self.max_rows:
            raise ExchangeFileError(
                error_codes.FILE_TOO_MANY_ROWS,
                _("В листе больше %(limit)s строк: разделите файл на части.") % {"limit": self.max_rows},
            )
        if self.cells > self.max_cells:
            raise ExchangeFileError(
                error_codes.FILE_TOO_MANY_CELLS,
                _("В листе больше %(limit)s ячеек: разделите файл на части или уберите лишние столбцы.")
                % {"limit": self.max_cells},
            )


def _safe_parser():
    """Создать парсер expat для частей XLSX: DTD и объявления сущностей — ошибка «файл повреждён».

    Та же защита, что у defusedxml (внешние сущности не читаются, «миллиард смехов» невозможен),
    но без дерева элементов: обработчики вызываются прямо из C-кода expat.
    """

    def forbidden(*_args):
        raise ExchangeFileError(error_codes.FILE_BROKEN, _("Файл XLSX повреждён: в листе объявления DTD."))

    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartDoctypeDeclHandler = forbidden
    parser.EntityDeclHandler = forbidden
    parser.UnparsedEntityDeclHandler = forbidden
    parser.ExternalEntityRefHandler = forbidden
    return parser


def _text_collector(state):
    """Обработчик текста XML для expat: копить куски текста ячейки, пока state["collect"]."""

    def text(data):
        if state["collect"] and state["parts"] is not None:
            state["parts"].append(data)

    return text


def _parse_stream(parser, stream, broken_message):
    """Прогнать поток через парсер кусками по 1 МБ; ошибка XML — ExchangeFileError «файл повреждён»."""
    try:
        while chunk := stream.read(1 << 20):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise ExchangeFileError(error_codes.FILE_BROKEN, broken_message) from error


class FormulaError(str):
    """Значение ячейки с ошибкой формулы (#ДЕЛ/0!, #Н/Д) — отклоняется при разборе строки."""


def _cell_text_value(kind, parts, shared):
    """Значение ячейки по типу (t) и собранному тексту <v> или <is><t> — как _cell_value."""
    if not parts:
        return "" if kind == "inlineStr" else None
    text = parts[0] if len(parts) == 1 else "".join(parts)
    if kind == "inlineStr" or kind == "str":
        return text
    if kind == "s":
        try:
            return shared[int(text)]
        except (IndexError, ValueError):
            return None
    if kind == "b":
        return text == "1"
    if kind == "e":
        return FormulaError(text)
    # Число: целое остаётся int, остальное — float (как в openpyxl).
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


class CsvWorkbook:
    """CSV как книга из одного листа «catalog»: кодировка и разделитель определяются сами."""

    format = "csv"

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.encoding = self._detect_encoding()
        self.sheet_names = ["catalog"]

    def _detect_encoding(self):
        self.fileobj.seek(0)
        head = self.fileobj.read(4)
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        self.fileobj.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := self.fileobj.read(1 << 20):
                if b"\x00" in chunk:
                    raise ExchangeFileError(error_codes.FILE_NOT_SPREADSHEET, BINARY_FILE_MESSAGE)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            # Не UTF-8 — значит, CSV из русского Excel: Windows-1251 декодирует любой байт, кроме 0x98.
            encoding = "cp1251"
        self.fileobj.seek(0)
        return encoding

    def sheet(self, name):
        self.fileobj.seek(0)
        size = max(self.fileobj.seek(0, io.SEEK_END), 1)
        self.fileobj.seek(0)
        counter = CountingReader(self.fileobj)
        text = io.TextIOWrapper(
            io.BufferedReader(counter, 1 << 20), encoding=self.encoding, errors="replace", newline=""
        )
        first_line = text.readline()
        delimiter = max(CSV_DELIMITERS, key=first_line.count) if first_line else ";"
        reader = csv.reader(_chain_line(first_line, text), delimiter=delimiter)

        def rows():
            bounds = RowBounds()
            try:
                for number, values in enumerate(reader, start=1):
                    bounds.add(len(values))
                    yield number, values
            except csv.Error as error:
                raise ExchangeFileError(
                    error_codes.FILE_BROKEN, _("CSV повреждён: %(error)s") % {"error": error}
                ) from error

        return SheetRows(name=name, rows=rows(), progress=lambda: min(counter.count / size, 1.0))

    def close(self):
        pass


def _chain_line(first_line, text):
    if first_line:
        yield first_line
    yield from text


def upload_check(fileobj):
    """Проверить загруженный файл без разбора: размер и первые байты; вернуть формат (xlsx или csv).

    Это всё, что делает запрос загрузки: разбор книги (архив, общие строки, лист, заголовок)
    идёт в задаче проверки, в очереди imports, — память и время веб-воркера не зависят от
    содержимого файла. Читается не больше SNIFF_BYTES.

    Raises:
        ExchangeFileError: файл слишком велик, пуст, старый .xls или явно двоичный (не ZIP и с нулевым байтом).
    """
    max_upload = limit("EXCHANGE_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > max_upload:
        raise ExchangeFileError(
            error_codes.FILE_TOO_LARGE,
            _("Файл %(size)d МБ, допустимо не больше %(limit)d МБ.")
            % {"size": size // 2**20, "limit": max_upload // 2**20},
        )
    if size == 0:
        raise ExchangeFileError(error_codes.FILE_EMPTY, _("Файл пуст."))
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    if head.startswith(ZIP_MAGIC):
        return XlsxWorkbook.format
    if head.startswith(OLE_MAGIC):
        raise ExchangeFileError(
            error_codes.FILE_LEGACY_XLS,
            _("Старый формат Excel (.xls) не поддерживается: сохраните файл как XLSX или CSV."),
        )
    if b"\x00" in head:
        raise ExchangeFileError(error_codes.FILE_NOT_SPREADSHEET, BINARY_FILE_MESSAGE)
    return CsvWorkbook.format


def workbook_open(fileobj, *, filename=""):
    """Открыть загруженный файл как книгу XLSX или CSV, проверив стражи.

    Args:
        fileobj: двоичный файл с произвольным доступом (seek).
        filename: имя файла у пользователя (только для понятных сообщений).

    Raises:
        ExchangeFileError: файл слишком велик, не таблица, старый .xls, zip-бомба, повреждён,
            больше общих строк, чем EXCHANGE_MAX_SHARED_STRINGS.
    """
    if upload_check(fileobj) == XlsxWorkbook.format:
        return XlsxWorkbook(fileobj)
    return CsvWorkbook(fileobj)


_DONE = object()


def rows_prefetched(rows, *, batch_rows=1000, depth=8):
    """Читать строки листа в отдельном потоке, пока основной поток пишет пачки в базу.

    Разбор XML листа — чистый Python и держит GIL, а запись пачки — ожидание PostgreSQL, во
    время которого GIL свободен: поток чтения готовит следующие строки, пока база пишет
    предыдущие. Очередь ограничена depth пачками по batch_rows строк, так что память не
    растёт; ошибка чтения (ExchangeFileError) поднимается в основном потоке в том же месте
    итерации. Поток не трогает базу. Если потребитель остановился раньше, поток завершается.
    """
    channel = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item):
        while not stop.is_set():
            try:
                channel.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        batch = []
        try:
            for row in rows:
                batch.append(row)
                if len(batch) >= batch_rows:
                    if not put(batch):
                        return
                    batch = []
            if batch:
                put(batch)
            put(_DONE)
        except BaseException as error:  # noqa: BLE001 — передаётся потребителю и поднимается там
            put(error)

    thread = threading.Thread(target=produce, name="exchange-rows", daemon=True)
    thread.start()
    try:
        while True:
            item = channel.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield from item
    finally:
        stop.set()
        thread.join(timeout=5)
