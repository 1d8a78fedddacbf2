"""The ledger export's request side: translated headers, the plant's zone, the file response."""

from datetime import date

from flask import Response
from flask_babel import gettext as _

from domain.clock import plant_zone
from domain.errors import DomainError
from domain.stock import ledger_export, ledger_feed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def headers() -> list[str]:
    return [
        _("Move"),
        _("Time"),
        _("Kind"),
        _("SKU"),
        _("Lot"),
        _("Warehouse"),
        _("Location"),
        _("Quantity"),
        _("On hand after"),
        _("Order reference"),
        _("Reason"),
        _("User"),
    ]


def export(kind: str, date_from: date, date_to: date, warehouse: str | None) -> Response:
    if date_to < date_from:
        message = _("The last day must not be before the first day.")
        raise DomainError("invalid_date_range", message, {"date_to": message})
    zone = plant_zone()
    since, until = ledger_export.utc_range(date_from, date_to, zone)
    feed_filter = ledger_feed.LedgerFilter(warehouse=warehouse, since=since, until=until)
    moves = ledger_feed.rows_for_export(feed_filter, ledger_export.MAX_ROWS)
    if len(moves) > ledger_export.MAX_ROWS:
        message = _("More than %(n)s moves in this range; choose fewer days.", n=ledger_export.MAX_ROWS)
        raise DomainError("export_too_large", message, {"date_from": message})
    if kind == "csv":
        body, mimetype = ledger_export.as_csv(moves, headers(), zone), CSV
    else:
        body, mimetype = ledger_export.as_xlsx(moves, headers(), zone, _("Stock ledger")), XLSX
    name = f"stock-ledger-{warehouse or 'all'}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{kind}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
