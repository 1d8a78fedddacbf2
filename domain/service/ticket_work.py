"""The technician's work on a ticket, from the phone: arrive on site, confirm the serial, record the
diagnosis and the parts used, add photos, resolve.

Parts are issued from the service point's warehouse through the stock ledger (an `issue` move whose
ref is the ticket number) in the same transaction as the ticket's own update, so a part is never
recorded without its move or moved without its record. The technician is at the customer, not in the
service point's warehouse, so no geofence applies; the phone's GPS goes into the audit log instead."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from domain import audit
from domain.errors import DomainError
from domain.masterdata import Location, ServicePoint, Sku
from domain.quantities import plain, quantity
from domain.service import states
from domain.service.photos import store_photo
from domain.service.serials import serial_from_scan
from domain.service.ticket_service import get_ticket, move
from domain.service.tickets import ServicePartUse, ServicePhoto, ServiceTicket
from domain.stock import balances
from domain.stock.ledger import ISSUE, StockBalance
from domain.transactions import write_transaction
from extensions import db

MAX_PARTS = 20


@dataclass(frozen=True)
class PartLine:
    sku: str
    qty: Decimal


def arrive(ticket_id: int, actor: Any, context: dict | None = None) -> ServiceTicket:
    """assigned → on_site."""
    with write_transaction():
        ticket = _held_by(ticket_id, actor)
        move(ticket, states.ON_SITE, actor, context=context)
    return ticket


def confirm_serial(ticket_id: int, scanned: str, actor: Any) -> ServiceTicket:
    """The technician scans the unit's label: it must be the serial the ticket is about."""
    ticket = get_ticket(ticket_id)
    serial = serial_from_scan(scanned)
    if serial != ticket.serial:
        message = _(
            "This unit is %(scanned)s, but the ticket is for %(serial)s.",
            scanned=serial or "—",
            serial=ticket.serial,
        )
        raise DomainError("serial_mismatch", message, {"serial": message}, status=409)
    return ticket


def record_work(
    ticket_id: int,
    diagnosis: str | None,
    parts: list[PartLine],
    point_code: str | None,
    actor: Any,
    context: dict | None = None,
) -> ServiceTicket:
    """Adds the diagnosis and issues the parts, in one write transaction."""
    with write_transaction():
        ticket = _held_by(ticket_id, actor)
        states.check_working(ticket.state)
        _work(ticket, diagnosis, parts, point_code, actor, context)
    return ticket


def resolve(
    ticket_id: int,
    diagnosis: str | None,
    parts: list[PartLine],
    point_code: str | None,
    actor: Any,
    context: dict | None = None,
) -> ServiceTicket:
    """on_site → resolved, with the last parts and the diagnosis, which by then must be written."""
    with write_transaction():
        ticket = _held_by(ticket_id, actor)
        states.check_working(ticket.state)
        _work(ticket, diagnosis, parts, point_code, actor, context)
        if not ticket.diagnosis.strip():
            message = _("Write what was wrong and what you did before resolving.")
            raise DomainError("diagnosis_required", message, {"diagnosis": message})
        move(ticket, states.RESOLVED, actor, context=context)
        ticket.resolved_at = ticket.events[-1].at
    return ticket


def add_photo(ticket_id: int, data: bytes, caption: str, directory: Path, actor: Any) -> ServicePhoto:
    with write_transaction():
        ticket = _held_by(ticket_id, actor)
        states.check_working(ticket.state)
        photo = store_photo(ticket, data, caption, directory, actor)
        audit.record(
            "photo", "service_ticket", ticket.id, {"photo_id": photo.id, "size": photo.size}, actor=actor
        )
    return photo


def _work(ticket, diagnosis, parts, point_code, actor, context) -> None:
    changes: dict[str, Any] = {}
    if diagnosis is not None and diagnosis.strip() != ticket.diagnosis:
        changes["diagnosis"] = [ticket.diagnosis, diagnosis.strip()[:2000]]
        ticket.diagnosis = diagnosis.strip()[:2000]
    if parts:
        changes["parts"] = issue_parts(ticket, parts, point_code, actor)
    if changes:
        audit.record("work", "service_ticket", ticket.id, changes, actor=actor, context=context)


def issue_parts(
    ticket: ServiceTicket, parts: list[PartLine], point_code: str | None, actor: Any
) -> list[dict]:
    """Each part taken from the point's warehouse, fullest location (and lot) first, split over
    several when one does not hold enough; refuses the whole call if any part is short."""
    if len(parts) > MAX_PARTS:
        raise DomainError("too_many_parts", _("At most %(n)d parts at once.", n=MAX_PARTS), {"parts": ""})
    point = _service_point(ticket, point_code)
    issued = []
    for line in parts:
        sku = _sku(line.sku)
        wanted = quantity(line.qty)
        if wanted <= 0:
            message = _("The quantity must be more than 0.")
            raise DomainError("invalid_quantity", message, {"qty": message})
        shelves = db.session.execute(
            select(StockBalance.location_id, StockBalance.lot, StockBalance.qty)
            .join(Location, Location.id == StockBalance.location_id)
            .where(
                StockBalance.sku_id == sku.id,
                Location.warehouse_id == point.warehouse_id,
                StockBalance.qty > 0,
            )
            .order_by(StockBalance.qty.desc(), StockBalance.id)
        ).all()
        available = sum((qty for _loc, _lot, qty in shelves), Decimal(0))
        if available < wanted:
            message = _(
                "Service point %(point)s has %(available)s of %(sku)s, %(wanted)s needed.",
                point=point.code,
                available=plain(available),
                sku=sku.code,
                wanted=plain(wanted),
            )
            raise DomainError("insufficient_stock", message, {"parts": message})
        remaining = wanted
        for location_id, lot, qty in shelves:
            take = min(qty, remaining)
            posted = balances.post(
                ISSUE,
                sku.id,
                lot,
                location_id,
                -take,
                actor=actor,
                ref=ticket.number,
                reason="service ticket",
            )
            ticket.parts.append(
                ServicePartUse(
                    sku_id=sku.id,
                    qty=take,
                    service_point_id=point.id,
                    stock_move_id=posted.id,
                    user_id=actor.id,
                )
            )
            remaining -= take
            if remaining == 0:
                break
        issued.append({"sku": sku.code, "qty": str(plain(wanted)), "service_point": point.code})
    ticket.service_point_id = point.id
    db.session.flush()
    return issued


def _held_by(ticket_id: int, actor: Any) -> ServiceTicket:
    """The ticket, if `actor` is the technician it is assigned to."""
    ticket = get_ticket(ticket_id)
    if ticket.assigned_to_id != actor.id:
        raise DomainError(
            "not_your_ticket",
            _("Ticket %(number)s is assigned to another technician.", number=ticket.number),
            {},
            status=403,
        )
    return ticket


def _service_point(ticket: ServiceTicket, code: str | None) -> ServicePoint:
    point = (
        db.session.execute(select(ServicePoint).where(ServicePoint.code == code)).scalar_one_or_none()
        if code
        else ticket.service_point
    )
    if point is None or not point.active or point.warehouse_id is None:
        message = _("Choose the service point whose stock the parts come from.")
        raise DomainError("service_point_required", message, {"service_point": message})
    return point


def _sku(code: str) -> Sku:
    sku = db.session.execute(select(Sku).where(Sku.code == code.strip())).scalar_one_or_none()
    if sku is None or not sku.active:
        message = _("There is no SKU %(code)s.", code=code)
        raise DomainError("unknown_sku", message, {"parts": message})
    return sku
