"""CSV downloads that spreadsheets open safely (the rules live in domain.shared.spreadsheet, shared with exports)."""

from domain.shared.spreadsheet import FORMULA_START, csv_lines, safe_cell

__all__ = ["FORMULA_START", "csv_lines", "safe_cell"]
