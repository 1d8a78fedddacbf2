"""Rows of a CSV or XLSX sheet as {column key: cell value}, read as a stream.

The header is found by its labels, not by position: the plant's sheets have a merged title row above
the header, columns in their own order, extra columns we do not use, and sometimes a two-level header
(a merged group cell such as 客户 over 编码 | 名称). XLSX is read with openpyxl's read_only mode, which
never holds the whole sheet, and in which a merged cell's text sits in its top-left cell only; the
header search below accounts for that.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import openpyxl

from domain.exchange.encoding import decode_text

HEADER_SEARCH_ROWS = 10  # the header is within the first rows of a sheet
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Column:
    """A column of a known sheet: `key` is the field it fills, `labels` the header texts it is known by
    (the first is the one our templates write)."""

    key: str
    labels: tuple[str, ...]
    required: bool = False

    @property
    def title(self) -> str:
        return self.labels[0]


@dataclass
class Row:
    number: int  # as the spreadsheet shows it (1 = the first line)
    cells: dict[str, Any]


@dataclass
class Table:
    """One sheet (or the one table of a CSV): its name and its raw rows from the first line."""

    name: str
    raw_rows: Iterable[Sequence[Any]]
    size_hint: int | None = None  # rows the file says it holds, when it says so
    _head: list[Sequence[Any]] | None = None
    _rest: Iterator[Sequence[Any]] | None = None

    def head(self) -> list[Sequence[Any]]:
        """The first rows, read once, so the header may be looked for more than once (as one kind of
        sheet, then another) without losing them from the stream."""
        if self._head is None:
            self._rest = iter(self.raw_rows)
            self._head = [tuple(row) for _, row in zip(range(HEADER_SEARCH_ROWS), self._rest, strict=False)]
        return self._head


@dataclass
class Header:
    row_number: int  # 1-based
    keys: dict[int, str]  # column index → column key
    titles: dict[str, str] = field(default_factory=dict)  # column key → header text as found


class MissingColumns(ValueError):
    def __init__(self, missing: list[Column]):
        super().__init__(", ".join(c.title for c in missing))
        self.missing = missing


def normalise_label(value: Any) -> str:
    """A header cell's text compared loosely: full-width forms folded (（）→ ()), case, blanks, a
    required-marker star and any bracketed hint (交期(年-月-日)) ignored."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).lower()
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)
    return re.sub(r"[\s*:：]", "", text)


def _label_index(columns: Sequence[Column]) -> dict[str, str]:
    return {normalise_label(label): c.key for c in columns for label in c.labels}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _filled_right(row: Sequence[Any], width: int) -> list[Any]:
    """A header row with each blank cell taking the text on its left: a horizontally merged group."""
    out, last = [], None
    for i in range(width):
        value = row[i] if i < len(row) else None
        last = value if not _blank(value) else last
        out.append(last)
    return out


def _match_row(rows: list[Sequence[Any]], h: int, labels: dict[str, str]) -> tuple[int, dict[int, str]]:
    """Columns recognised if row `h` is the header: by the cell's own text, by the group above and the
    cell's text together (客户 + 编码), or, for a blank cell, by the text right above it (a cell merged
    down across both header rows). Returns (cells recognised by their own text, column → key)."""
    row = rows[h]
    width = max(len(r) for r in rows[: h + 1])
    above = list(rows[h - 1]) + [None] * width if h > 0 else [None] * width
    group = _filled_right(above, width) if h > 0 else [None] * width
    own, keys = 0, {}
    for c in range(width):
        value = row[c] if c < len(row) else None
        if not _blank(value):
            key = labels.get(normalise_label(value)) or labels.get(
                normalise_label(f"{group[c] or ''}{value}")
            )
            own += key is not None
        else:
            key = labels.get(normalise_label(above[c])) if not _blank(above[c]) else None
        if key is not None and key not in keys.values():
            keys[c] = key
    return own, keys


def find_header(first_rows: list[Sequence[Any]], columns: Sequence[Column]) -> Header:
    """The header row: among rows where at least one cell names a column, the one recognising the most
    columns; on a tie the lower row (the second line of a two-level header)."""
    labels = _label_index(columns)
    best: tuple[int, int, dict[int, str]] | None = None
    for h in range(len(first_rows)):
        own, keys = _match_row(first_rows, h, labels)
        if own and (best is None or len(keys) >= len(best[2])):
            best = (h, own, keys)
    keys = best[2] if best else {}
    missing = [c for c in columns if c.required and c.key not in keys.values()]
    if best is None or missing:
        raise MissingColumns(missing or [c for c in columns if c.required])
    titles = {key: str(_header_text(first_rows, best[0], c)) for c, key in keys.items()}
    return Header(best[0] + 1, keys, titles)


def _header_text(rows: list[Sequence[Any]], h: int, c: int) -> Any:
    value = rows[h][c] if c < len(rows[h]) else None
    if _blank(value) and h > 0 and c < len(rows[h - 1]):
        return rows[h - 1][c]
    return value


def mapped_rows(table: Table, columns: Sequence[Column]) -> tuple[Header, Iterator[Row]]:
    """The header and an iterator of the data rows below it; blank rows are skipped."""
    first = table.head()
    header = find_header(first, columns)
    raw = table._rest or iter(())

    def rows() -> Iterator[Row]:
        number = header.row_number
        for row in _chain(first[header.row_number :], raw):
            number += 1
            cells = {key: row[c] if c < len(row) else None for c, key in header.keys.items()}
            if all(_blank(v) for v in cells.values()):
                continue
            yield Row(number, cells)

    return header, rows()


def _chain(head: list[Sequence[Any]], tail: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield from head
    yield from tail


# ---- opening files ----


def is_xlsx(data_start: bytes) -> bool:
    return data_start.startswith(XLSX_MAGIC)


def csv_table(data: bytes, name: str = "csv") -> tuple[Table, str]:
    """The table of a CSV file and the encoding it was written in. Excel writes `,` (or `;`, `\t`
    in some locales); the delimiter is sniffed from the first line."""
    text, encoding = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    return Table(name, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), encoding


def open_xlsx(source: str | Path | IO[bytes]) -> Any:
    """A workbook opened to stream (read_only), cell values rather than formulas (data_only). Its
    sheets can be iterated more than once, each time from the first row; close() it when done."""
    return openpyxl.load_workbook(source, read_only=True, data_only=True)


def sheet_table(ws: Any) -> Table:
    return Table(ws.title, ws.iter_rows(values_only=True), ws.max_row)


def xlsx_tables(source: str | Path | IO[bytes]) -> list[Table]:
    """Every sheet of a workbook, streamed."""
    return [sheet_table(ws) for ws in open_xlsx(source).worksheets]


# ---- cell values ----


def cell_text(value: Any) -> str:
    """What a person reads in the cell: 1001.0 (a code Excel stored as a number) → "1001"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def cell_date(value: Any) -> str:
    """A date cell as ISO text: Excel dates, 2026-12-01, 2026/12/1 and 2026.12.1 alike."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = cell_text(value)
    found = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if found:
        year, month, day = (int(g) for g in found.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text
