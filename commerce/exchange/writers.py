# ruff: noqa: E501 — шаблоны частей XLSX читаются лучше одной строкой
"""Потоковая запись XLSX и CSV: строка за строкой, память не зависит от размера каталога.

XLSX пишется напрямую (XML листа со строками inline, без таблицы общих строк) в zip-поток:
openpyxl в режиме write_only пишет 250 тыс. строк около 42 с, прямая запись — в разы быстрее.
Строки, начинающиеся с «=», остаются текстом (тип inlineStr), а не становятся формулой —
экспорт не может подсунуть формулу в Excel менеджера.
"""

import csv
import io
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from commerce.exchange.sheet_format import column_letter

# Символы, запрещённые в XML 1.0 (управляющие, кроме табуляции и переводов строки).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Одна проверка вместо замены: нужно ли вообще экранировать строку.
NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
{sheets}
</Types>"""
SHEET_CONTENT_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{number}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets>{sheets}</sheets>
</workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
{sheets}
<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
</styleSheet>"""
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews><sheetData>"
)
SHEET_TAIL = "</sheetData></worksheet>"


def xml_text(value):
    """Экранировать текст для XML; строка без спецсимволов (почти любая) возвращается как есть."""
    if NEEDS_ESCAPE.search(value) is None:
        return value
    return escape(XML_ILLEGAL.sub("", value))


class XlsxWriter:
    """Писатель книги XLSX: листы по очереди, строки потоком."""

    format = "xlsx"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def __init__(self, fileobj):
        self.archive = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.sheet_names = []
        self.stream = None
        self.buffer = []
        self.row_number = 0
        self.letters = []

    def sheet(self, name, header, *, numeric_columns=()):
        """Начать лист name с жирной строкой заголовка header.

        numeric_columns — номера столбцов, где строка (например, "1500.00" из базы) — число:
        такая ячейка пишется числом, а не текстом.
        """
        self._finish_sheet()
        self.sheet_names.append(name)
        number = len(self.sheet_names)
        self.stream = io.TextIOWrapper(
            self.archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True), encoding="utf-8"
        )
        self.stream.write(SHEET_HEAD)
        self.row_number = 0
        self.letters = [column_letter(index) for index in range(len(header))]
        self.numeric = [index in numeric_columns for index in range(len(header))]
        self._row(header, style=' s="1"')

    def row(self, values):
        """Добавить строку значений (str, int, Decimal, bool, None)."""
        self._row(values, style="")

    def _row(self, values, *, style):
        self.row_number += 1
        number = self.row_number
        letters = self.letters
        numeric = self.numeric
        while len(letters) < len(values):
            letters.append(column_letter(len(letters)))
            numeric.append(False)
        cells = []
        append = cells.append
        for index, value in enumerate(values):
            if value is None:
                continue
            kind = value.__class__
            if kind is str:
                if not value:
                    continue
                if numeric[index] and not style:
                    append(f'<c r="{letters[index]}{number}"><v>{value}</v></c>')
                else:
                    append(
                        f'<c r="{letters[index]}{number}" t="inlineStr"{style}><is><t xml:space="preserve">'
                        f"{xml_text(value)}</t></is></c>"
                    )
            elif kind is bool:
                append(
                    f'<c r="{letters[index]}{number}" t="inlineStr"{style}><is><t>{"да" if value else "нет"}</t></is></c>'
                )
            elif kind is int or kind is Decimal:
                append(f'<c r="{letters[index]}{number}"{style}><v>{value}</v></c>')
            else:
                append(
                    f'<c r="{letters[index]}{number}" t="inlineStr"{style}><is><t xml:space="preserve">'
                    f"{xml_text(str(value))}</t></is></c>"
                )
        self.buffer.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(self.buffer) >= 1000:
            self.stream.write("".join(self.buffer))
            self.buffer.clear()

    def _finish_sheet(self):
        if self.stream is None:
            return
        self.stream.write("".join(self.buffer))
        self.buffer.clear()
        self.stream.write(SHEET_TAIL)
        self.stream.close()
        self.stream = None

    def close(self):
        """Дописать служебные части книги и закрыть архив."""
        if not self.sheet_names:
            self.sheet("catalog", [])
        self._finish_sheet()
        count = len(self.sheet_names)
        self.archive.writestr(
            "[Content_Types].xml",
            CONTENT_TYPES.format(sheets="".join(SHEET_CONTENT_TYPE.format(number=n) for n in range(1, count + 1))),
        )
        self.archive.writestr("_rels/.rels", ROOT_RELS)
        sheets = "".join(
            f'<sheet name="{xml_text(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(self.sheet_names, start=1)
        )
        self.archive.writestr("xl/workbook.xml", WORKBOOK.format(sheets=sheets))
        relations = "".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)
        )
        self.archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(sheets=relations))
        self.archive.writestr("xl/styles.xml", STYLES)
        self.archive.close()


class CsvWriter:
    """Писатель CSV (UTF-8 с BOM, разделитель «;» — так файл сразу открывает русский Excel).

    В CSV помещается один лист; остальные листы (категории, атрибуты) пропускаются.
    """

    format = "csv"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def __init__(self, fileobj):
        self.stream = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="", write_through=False)
        self.writer = csv.writer(self.stream, delimiter=";")
        self.started = False
        self.active = False

    def sheet(self, name, header, *, numeric_columns=()):
        self.active = not self.started
        self.started = True
        if self.active:
            self.writer.writerow(header)

    def row(self, values):
        if self.active:
            self.writer.writerow(["" if value is None else value for value in values])

    def close(self):
        self.stream.flush()
        self.stream.detach()


def table_writer(fileobj, *, file_format):
    """Вернуть писателя таблицы нужного формата (xlsx или csv)."""
    return CsvWriter(fileobj) if file_format == "csv" else XlsxWriter(fileobj)
