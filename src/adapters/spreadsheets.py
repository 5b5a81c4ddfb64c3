"""Excel files for exports: openpyxl in write-only mode, so rows stream instead of building a sheet in memory."""

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


class XlsxFile:
    """One sheet: a bold-free header row, then the rows as text (cells arrive formula-safe)."""

    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(list(header))
        for row in rows:
            sheet.append([_text(cell) for cell in row])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def _text(cell: object) -> str:
    """Control characters that XML cannot hold are dropped (openpyxl would refuse the whole file)."""
    text: str = ILLEGAL_CHARACTERS_RE.sub("", "" if cell is None else str(cell))
    return text
