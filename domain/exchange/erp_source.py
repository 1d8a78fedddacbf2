"""Opening an ERP export named on the command line: a CSV or XLSX file, a JSON file, or a JSON URL.
Each table it holds comes back with its kind (customers or prices) and its rows."""

import json
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from domain.exchange import erp_rows
from domain.exchange.encoding import UndecodableText
from domain.exchange.sheets import (
    Header,
    MissingColumns,
    Row,
    Table,
    csv_table,
    is_xlsx,
    mapped_rows,
    normalise_label,
    xlsx_tables,
)

MAX_DOWNLOAD = 50 * 1024 * 1024
Fetch = Callable[[str], bytes]


class SourceError(ValueError):
    """The source cannot be read as a whole: nothing of it is applied."""


@dataclass
class SourceTable:
    kind: str  # erp_rows.CUSTOMERS | erp_rows.PRICES
    name: str
    titles: dict[str, str]  # column key → header text, for messages
    rows: Iterator[Row]


def fetch_url(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        data = response.read(MAX_DOWNLOAD + 1)
    if len(data) > MAX_DOWNLOAD:
        raise SourceError(_("The download is larger than 50 MB."))
    return data


def open_source(source: str, fetch: Fetch = fetch_url) -> tuple[list[SourceTable], str]:
    """(tables with customers first, the text encoding found or "xlsx"/"json")."""
    if source.startswith(("http://", "https://")):
        try:
            data = fetch(source)
        except OSError as error:
            raise SourceError(_("Could not download %(url)s: %(error)s", url=source, error=error)) from None
        return _customers_first(_json_tables(data, source)), "json"
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(_("Could not read %(path)s: %(error)s", path=source, error=error)) from None
    if path.suffix.lower() == ".json":
        return _customers_first(_json_tables(data, path.name)), "json"
    if is_xlsx(data[:4]):
        try:
            tables = xlsx_tables(path)
        except Exception:  # openpyxl refuses a damaged or password-protected workbook in many ways
            raise SourceError(_("%(name)s could not be read as an Excel workbook.", name=path.name)) from None
        return _customers_first([_sheet(t) for t in tables]), "xlsx"
    try:
        table, encoding = csv_table(data, path.name)
    except UndecodableText:
        raise SourceError(_("%(name)s is not text in UTF-8 or GBK.", name=path.name)) from None
    return [_sheet(table)], encoding


def _customers_first(tables: list[SourceTable]) -> list[SourceTable]:
    """Prices may name customers the same file creates."""
    return sorted(tables, key=lambda t: t.kind != erp_rows.CUSTOMERS)


def _sheet(table: Table) -> SourceTable:
    """Prices if the header names a product model, else customers; missing columns are reported
    against the kind the header looks like."""
    try:
        header, rows = mapped_rows(table, erp_rows.PRICE_COLUMNS)
        return _source_table(erp_rows.PRICES, table.name, header, rows)
    except MissingColumns as error:
        if "product_model" not in {c.key for c in error.missing}:
            raise _missing(table.name, error) from None
    try:
        header, rows = mapped_rows(table, erp_rows.CUSTOMER_COLUMNS)
    except MissingColumns as error:
        raise _missing(table.name, error) from None
    return _source_table(erp_rows.CUSTOMERS, table.name, header, rows)


def _source_table(kind: str, name: str, header: Header, rows: Iterator[Row]) -> SourceTable:
    return SourceTable(kind, name, dict(header.titles), rows)


def _missing(name: str, error: MissingColumns) -> SourceError:
    return SourceError(_("%(name)s lacks the column(s): %(columns)s", name=name, columns=str(error)))


def _json_tables(data: bytes, name: str) -> list[SourceTable]:
    """{"customers": [...], "prices": [...]} (either may be absent) or one array of either kind."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceError(_("%(name)s is not JSON: %(error)s", name=name, error=error)) from None
    if isinstance(document, list):
        document = {erp_rows.json_table_kind(document): document}
    if not isinstance(document, dict) or not any(k in document for k in erp_rows.COLUMNS):
        raise SourceError(_('%(name)s holds neither "customers" nor "prices".', name=name))
    tables = []
    for kind, columns in erp_rows.COLUMNS.items():
        items = document.get(kind)
        if items is None:
            continue
        if not isinstance(items, list):
            raise SourceError(_('"%(kind)s" must be a list.', kind=kind))
        labels = {normalise_label(label): c.key for c in columns for label in (c.key, *c.labels)}
        titles = {c.key: c.key for c in columns}
        tables.append(SourceTable(kind, f"{name}#{kind}", titles, _json_rows(items, labels)))
    return tables


def _json_rows(items: list[Any], labels: Mapping[str, str]) -> Iterator[Row]:
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield Row(number, {})
            continue
        cells = {labels[k]: v for k, v in ((normalise_label(k), v) for k, v in item.items()) if k in labels}
        yield Row(number, cells)
