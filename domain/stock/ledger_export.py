"""The stock ledger of a date range as a file for the plant's Excel: CSV (UTF-8 with a BOM, so Excel
on a Chinese PC reads it) or XLSX (openpyxl, write-only for large ranges). Times are the plant's; the
caller passes the translated headers, so this module stays free of Flask."""

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from io import BytesIO, StringIO
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from domain.clock import plant_midnight_utc, to_plant_naive

COLUMNS = (
    "id",
    "at",
    "kind",
    "sku",
    "lot",
    "warehouse",
    "location",
    "qty",
    "on_hand",
    "ref",
    "reason",
    "user",
)
MAX_ROWS = 100_000  # XLSX writes ~4,600 rows/s here: 100,000 in ~22 s, well inside a 60 s worker timeout


def utc_range(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Plant days `first`..`last` (both included) as naive UTC [start, end)."""
    return plant_midnight_utc(first, zone), plant_midnight_utc(last + timedelta(days=1), zone)


def _cells(move: dict[str, Any], zone: ZoneInfo) -> list[Any]:
    local = to_plant_naive(move["at"].replace(microsecond=0), zone)
    row = {**move, "at": local}
    return [row.get(column) for column in COLUMNS]


def as_csv(moves: Iterable[dict[str, Any]], headers: Sequence[str], zone: ZoneInfo) -> bytes:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for move in moves:
        cells = _cells(move, zone)
        cells[1] = cells[1].strftime("%Y-%m-%d %H:%M:%S")
        writer.writerow(["" if c is None else c for c in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(moves: Iterable[dict[str, Any]], headers: Sequence[str], zone: ZoneInfo, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for move in moves:
        sheet.append(_cells(move, zone))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
