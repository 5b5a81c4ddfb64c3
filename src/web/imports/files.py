"""Uploaded CSV and XLSX files: the format recognised by content (SECURITY F2), rows read as text, and the
same file written back with an error column (same format, columns and values)."""

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from domain.imports.ports import Spreadsheet
from domain.shared.errors import ValidationFailed
from domain.shared.spreadsheet import FORMULA_START, safe_cell

MAX_BYTES = 20 * 1024 * 1024
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def recognise(data: bytes, filename: str) -> str:
    """"csv" or "xlsx", from the extension and the content agreeing; ValidationFailed otherwise."""
    if not data:
        raise ValidationFailed({"file": "import.empty"})
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx" and data[:4] == b"PK\x03\x04" and _is_workbook(data):
        return "xlsx"
    if extension in ("csv", "txt") and b"\x00" not in data[:65536]:
        return "csv"
    raise ValidationFailed({"file": "import.format"})


def open_sheet(data: bytes, file_format: str) -> Spreadsheet:
    """The file's first sheet; ValidationFailed when it cannot be read."""
    return XlsxSheet(data) if file_format == "xlsx" else CsvSheet(data)


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


class CsvSheet:
    """UTF-8 (with or without BOM) or GB18030, delimiter sniffed among comma, semicolon and tab."""

    def __init__(self, data: bytes) -> None:
        self._text = _decode(data)
        first_line = self._text.split("\n", 1)[0]
        try:
            self._dialect: Any = csv.Sniffer().sniff(first_line, delimiters=",;\t")
        except csv.Error:
            self._dialect = csv.excel
        self.header = [cell.strip() for cell in next(self._reader(), [])]

    @property
    def estimated_rows(self) -> int:
        return max(self._text.count("\n") - 1, 0)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for number, cells in enumerate(self._reader(), start=1):
            if number > 1 and any(cell.strip() for cell in cells):
                yield number, cells

    def with_errors(self, errors: Mapping[int, str], title: str) -> bytes:
        """The file again, every cell formula-safe (SECURITY I7): a spreadsheet shows "=1+1", never runs it."""
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, delimiter=self._dialect.delimiter)
        width = len(self.header)
        for number, cells in enumerate(self._reader(), start=1):
            padded = cells + [""] * (width - len(cells))
            writer.writerow([safe_cell(cell) for cell in (*padded, title if number == 1 else errors.get(number, ""))])
        return out.getvalue().encode("utf-8")

    def _reader(self) -> Iterator[list[str]]:
        rows = csv.reader(io.StringIO(self._text, newline=""), delimiter=self._dialect.delimiter)
        return ([_unguarded(cell) for cell in cells] for cells in rows)


def _unguarded(cell: str) -> str:
    """A cell the error file made formula-safe ("'=1+1") read back as typed, so a corrected file re-imports."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed({"file": "import.encoding"})


class XlsxSheet:
    """The first worksheet, read with openpyxl's streaming read-only mode (cached values, not formulas)."""

    def __init__(self, data: bytes) -> None:
        # One sheet object for every pass: opening it reads the whole sheet when the file names no dimension.
        try:
            self._sheet: Any = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            first = next(self._sheet.iter_rows(max_row=1, values_only=True), ())
        except Exception as error:  # openpyxl raises many kinds for a damaged file; all mean "cannot read"
            raise ValidationFailed({"file": "import.unreadable"}) from error
        self.header = _trimmed([_text(value).strip() for value in first])
        self.estimated_rows = max((self._sheet.max_row or 1) - 1, 0)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(self._sheet.iter_rows(min_row=2, values_only=True), start=2):
            cells = [_text(value) for value in values]
            if any(cell.strip() for cell in cells):
                yield number, cells

    def with_errors(self, errors: Mapping[int, str], title: str) -> bytes:
        target = Workbook(write_only=True)
        sheet = target.create_sheet(self._sheet.title)
        width = len(self.header)
        for number, values in enumerate(self._sheet.iter_rows(values_only=True), start=1):
            padded = list(values[:width]) + [None] * (width - len(values)) + list(values[width:])
            error = title if number == 1 else errors.get(number, "")
            sheet.append([*(_cell(sheet, value) for value in padded), error])
        out = io.BytesIO()
        target.save(out)
        return out.getvalue()


def _trimmed(header: list[str]) -> list[str]:
    while header and not header[-1]:
        header.pop()
    return header


def _text(value: object) -> str:
    """A cell as the text a user typed: 13800138000 not 13800138000.0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """Text stays text: a value that starts with = is written as a string, never turned into a formula."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value
