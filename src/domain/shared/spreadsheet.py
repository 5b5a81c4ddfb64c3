"""Tables that spreadsheets open safely: UTF-8 CSV with BOM, formula characters neutralised (SECURITY I7)."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text; a leading = + - @ tab or CR gets a ' so Excel and LibreOffice show it, not run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV as lines to stream: a BOM first (Excel then reads UTF-8, so Chinese shows correctly), then rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, row in enumerate(_chain(header, rows)):
        writer.writerow([safe_cell(cell) for cell in row])
        yield ("\ufeff" if number == 0 else "") + buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


class CsvFile:
    """A whole CSV file as bytes (background exports), written with `csv_lines`."""

    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def write(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
        return "".join(csv_lines(header, rows)).encode()


def _chain(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    yield header
    yield from rows
