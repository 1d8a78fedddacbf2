"""Recording a shipment (发货单): the order it fulfils, its customer and ship date, the lots and serial
numbers on it. One write transaction; numbered SH-YYYYMMDD-NNNN."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError

from domain import audit, stage_machine
from domain.errors import Conflict, DomainError
from domain.masterdata import Sku
from domain.orders.models import Order
from domain.quality.lots import SUPPLIER, Lot
from domain.quality.shipments import SerialNumber, Shipment, ShipmentLine
from domain.quantities import quantity
from domain.transactions import write_transaction
from extensions import db

PREFIX = "SH"


@dataclass(frozen=True)
class LineIn:
    sku: str
    qty: Decimal
    lot: str = ""
    serials: list[str] = field(default_factory=list)


def record_shipment(
    order_number: str, ship_date: date, lines: list[LineIn], actor: Any, note: str = ""
) -> Shipment:
    if not lines:
        raise DomainError("no_lines", _("A shipment has at least one line."), {"lines": _("required")})
    with write_transaction():
        order = _order(order_number)
        skus = _skus({line.sku.strip() for line in lines})
        lots = _lots([(skus[line.sku.strip()].id, line.lot.strip()) for line in lines if line.lot.strip()])
        serials = [s.strip() for line in lines for s in line.serials]
        _check_serials(serials)
        shipment = Shipment(
            order_id=order.id,
            customer_id=order.customer_id,
            ship_date=ship_date,
            note=note.strip()[:300],
            created_by_id=getattr(actor, "id", None),
        )
        for index, line in enumerate(lines):
            shipment.lines.append(_line(shipment, index, line, skus, lots, order.product_id))
        _insert_with_number(shipment, ship_date)
        audit.record(
            "shipment",
            "shipment",
            shipment.id,
            {
                "order": order.number,
                "ship_date": ship_date.isoformat(),
                "lines": [[line.sku, line.lot, str(line.qty), len(line.serials)] for line in lines],
            },
            actor=actor,
        )
        return shipment


def _line(
    shipment: Shipment,
    index: int,
    line: LineIn,
    skus: dict[str, Sku],
    lots: dict[tuple[int, str], Lot],
    product_id: int,
):
    sku = skus[line.sku.strip()]
    qty = quantity(line.qty)
    field_name = f"lines.{index}.qty"
    if qty <= 0:
        raise DomainError("invalid_quantity", _("The quantity must be more than 0."), {field_name: _("> 0")})
    if len(line.serials) > qty:
        message = _(
            "More serial numbers (%(serials)d) than units (%(qty)s).", serials=len(line.serials), qty=qty
        )
        raise DomainError("too_many_serials", message, {f"lines.{index}.serials": message})
    lot = lots.get((sku.id, line.lot.strip())) if line.lot.strip() else None
    row = ShipmentLine(sku_id=sku.id, lot_id=lot.id if lot else None, qty=qty)
    for serial in line.serials:
        row.serials.append(
            SerialNumber(shipment=shipment, serial=serial.strip(), lot=lot, product_id=product_id)
        )
    return row


def _order(number: str) -> Order:
    order = db.session.execute(select(Order).where(Order.number == number.strip())).scalar()
    if order is None:
        message = _("There is no sales order %(number)s.", number=number)
        raise DomainError("unknown_order_reference", message, {"order": message})
    if order.stage in (stage_machine.QUOTE, stage_machine.CANCELLED):
        raise Conflict("order_not_shippable", _("Order %(number)s is not confirmed.", number=order.number))
    return order


def _skus(codes: set[str]) -> dict[str, Sku]:
    found = {s.code: s for s in db.session.execute(select(Sku).where(Sku.code.in_(codes))).scalars()}
    if missing := sorted(codes - set(found)):
        message = _("There is no SKU %(code)s.", code=", ".join(missing))
        raise DomainError("unknown_sku", message, {"sku": message})
    return found


def _lots(pairs: list[tuple[int, str]]) -> dict[tuple[int, str], Lot]:
    if not pairs:
        return {}
    rows = db.session.execute(
        select(Lot).where(tuple_(Lot.sku_id, Lot.code).in_(pairs), Lot.kind != SUPPLIER)
    ).scalars()
    found = {(lot.sku_id, lot.code): lot for lot in rows}
    if missing := [code for sku_id, code in pairs if (sku_id, code) not in found]:
        message = _("There is no lot %(lot)s of that SKU.", lot=", ".join(missing))
        raise DomainError("unknown_lot", message, {"lot": message})
    return found


def _check_serials(serials: list[str]) -> None:
    if any(not s or len(s) > 64 for s in serials):
        message = _("A serial number has 1 to 64 characters.")
        raise DomainError("invalid_serial", message, {"serials": message})
    repeated = sorted({s for s in serials if serials.count(s) > 1})
    shipped = db.session.execute(
        select(SerialNumber.serial).where(SerialNumber.serial.in_(serials))
    ).scalars()
    if taken := sorted({*repeated, *shipped}):
        message = _("Serial numbers already shipped or listed twice: %(serials)s.", serials=", ".join(taken))
        raise Conflict("serial_taken", message, {"serials": message})


def _insert_with_number(shipment: Shipment, day: date, attempts: int = 5) -> None:
    prefix = f"{PREFIX}-{day:%Y%m%d}-"
    for _attempt in range(attempts):
        last = db.session.execute(
            select(Shipment.number)
            .where(Shipment.number.like(f"{prefix}%"))
            .order_by(Shipment.number.desc())
            .limit(1)
        ).scalar()
        serial = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
        shipment.number = f"{prefix}{serial:04d}"
        try:
            with db.session.begin_nested():
                db.session.add(shipment)
                db.session.flush()
            return
        except IntegrityError:
            taken = select(Shipment.id).where(Shipment.number == shipment.number)
            if db.session.execute(taken).first() is None:
                # not the number: a serial shipped at this very moment by someone else
                raise Conflict(
                    "serial_taken", _("A serial number on this shipment was just shipped.")
                ) from None
            continue
    raise Conflict("number_taken", _("Could not number the shipment; please try again."))
