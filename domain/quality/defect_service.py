"""A defect report on a lot (DESIGN §7): record it and answer, in one call, every batch and order it
affects; the same answer as an XLSX workbook for the people who phone the customers."""

from io import BytesIO
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select

from domain import audit
from domain.clock import to_plant_naive
from domain.errors import DomainError, NotFound
from domain.quality import trace
from domain.quality.defects import DefectReport
from domain.quality.lots import Lot
from domain.transactions import write_transaction
from extensions import db


def affected(lot: Lot, widened: bool) -> trace.Trace:
    """Forward from the lot; widened, forward from every lot it was made from (a material defect
    reaches every batch made of the same material, not just this one)."""
    origin = {**trace.lot_origin(lot), "widened": widened}
    if not widened:
        return trace.forward_from_lots([lot.id], origin)
    sources = [row["id"] for row in trace.backward_from_lots([lot.id]).lots]
    return trace.forward_from_lots(sources, origin)


def report_defect(
    lot_id: int, description: str, widened: bool, actor: Any
) -> tuple[DefectReport, trace.Trace]:
    description = description.strip()
    if not description:
        message = _("Describe the defect.")
        raise DomainError("description_required", message, {"description": message})
    with write_transaction():
        lot = db.session.get(Lot, lot_id)
        if lot is None:
            raise NotFound("lot", lot_id)
        result = affected(lot, widened)
        counts = {
            k: len(getattr(result, k)) for k in ("lots", "work_orders", "orders", "shipments", "customers")
        }
        report = DefectReport(
            lot_id=lot.id,
            description=description[:1000],
            widened=widened,
            affected=counts,
            reported_by_id=getattr(actor, "id", None),
        )
        db.session.add(report)
        db.session.flush()
        audit.record("defect_report", "lot", lot.id, {"report": report.id, **counts}, actor=actor)
    return report, result


def get_report(report_id: int) -> tuple[DefectReport, trace.Trace]:
    """The report and its affected set as it is now (shipments recorded since are included)."""
    report = db.session.execute(select(DefectReport).where(DefectReport.id == report_id)).scalar_one_or_none()
    if report is None:
        raise NotFound("defect report", report_id)
    return report, affected(db.session.get(Lot, report.lot_id), report.widened)


def workbook(report: DefectReport, result: trace.Trace) -> bytes:
    """Sheets: the report, affected lots, work orders, orders, shipments (one row per lot line, serials
    joined), customers."""
    book = Workbook(write_only=True)
    origin = result.origin
    _sheet(
        book,
        _("Defect report"),
        [
            _("Report"),
            _("Lot"),
            _("SKU"),
            _("Description"),
            _("Reported at (plant time)"),
            _("Widened to the material"),
        ],
        [
            [
                report.id,
                origin["lot"],
                origin["sku"],
                report.description,
                to_plant_naive(report.at),
                _yes(report.widened),
            ]
        ],
    )
    _sheet(
        book,
        _("Lots"),
        [_("Lot"), _("SKU"), _("Kind"), _("Supplier"), _("Work order"), _("Quantity")],
        [[r["code"], r["sku"], r["kind"], r["supplier"], r["work_order"], r["qty"]] for r in result.lots],
    )
    _sheet(
        book,
        _("Work orders"),
        [_("Work order"), _("Order"), _("Product"), _("Quantity"), _("Status")],
        [[r["number"], r["order"], r["product"], r["quantity"], r["status"]] for r in result.work_orders],
    )
    _sheet(
        book,
        _("Orders"),
        [_("Order"), _("Customer code"), _("Customer"), _("Product"), _("Stage"), _("Due date")],
        [
            [r["number"], r["customer_code"], r["customer_name"], r["product"], r["stage"], r["due_date"]]
            for r in result.orders
        ],
    )
    _sheet(
        book,
        _("Shipments"),
        [
            _("Shipment"),
            _("Ship date"),
            _("Order"),
            _("Customer code"),
            _("Customer"),
            _("SKU"),
            _("Lot"),
            _("Quantity"),
            _("Serial numbers"),
        ],
        [
            [
                s["number"],
                s["ship_date"],
                s["order"],
                s["customer_code"],
                s["customer_name"],
                line["sku"],
                line["lot"],
                line["qty"],
                " ".join(line["serials"]),
            ]
            for s in result.shipments
            for line in s["lines"]
        ],
    )
    _sheet(
        book,
        _("Customers"),
        [_("Customer code"), _("Customer")],
        [[c["code"], c["name"]] for c in result.customers],
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")
