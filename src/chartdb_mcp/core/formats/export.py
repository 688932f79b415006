"""Query results as CSV, JSON and Excel files (in memory; writing them is the caller's).

Values arrive JSON-safe (see live.query.values). Text that a spreadsheet would take for
a formula (starting with =, +, -, @, tab or carriage return) stays text: in xlsx it is
stored as a string cell, in CSV it is prefixed with an apostrophe, as OWASP advises
against CSV injection.
"""

import csv
import io
import json
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE = "result"


class ExportFormat(StrEnum):
    """The file formats a result can be exported to."""

    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"

    @property
    def mime_type(self) -> str:
        return {
            ExportFormat.CSV: "text/csv",
            ExportFormat.JSON: "application/json",
            ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[self]


def export_result(columns: list[str], rows: list[list[Any]], kind: ExportFormat) -> bytes:
    """The result as the bytes of a file in format `kind`."""
    if kind is ExportFormat.CSV:
        return to_csv(columns, rows).encode("utf-8")
    if kind is ExportFormat.JSON:
        return to_json(columns, rows).encode("utf-8")
    return to_xlsx(columns, rows)


def to_csv(columns: list[str], rows: list[list[Any]]) -> str:
    """A header line and one line per row; NULL is an empty field, JSON stays JSON."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(name) for name in columns])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


def to_json(columns: list[str], rows: list[list[Any]]) -> str:
    """A list of objects keyed by column name (a repeated name keeps its first value)."""
    objects = []
    for row in rows:
        item: dict[str, Any] = {}
        for name, value in zip(columns, row, strict=True):
            item.setdefault(name, value)
        objects.append(item)
    return json.dumps(objects, ensure_ascii=False, indent=1)


def to_xlsx(columns: list[str], rows: list[list[Any]]) -> bytes:
    """One sheet: a bold header row, then the rows; numbers stay numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.append(columns)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A cell value openpyxl stores as data, never as a formula."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if text.startswith("="):
        # https://openpyxl.readthedocs.io/en/stable/usage.html: a string starting with '='
        # becomes a formula unless the cell is marked as a string.
        cell = WriteOnlyCell(sheet, value=None)
        cell.value = text
        cell.data_type = "s"
        return cell
    return text
