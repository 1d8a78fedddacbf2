"""The scanner's stock moves: receipt, issue, output, shipment and adjustment, validated on site."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from domain import audit
from domain.errors import DomainError
from domain.masterdata import Sku, Warehouse
from domain.stock import balances
from domain.stock.capacity import remaining_capacity
from domain.stock.counts import require_supervisor
from domain.stock.gps_fixes import GpsInput
from domain.stock.handling_units import handling_units, require_room, unit_name
from domain.stock.ledger import ADJUSTMENT
from domain.stock.move_rules import needs_order_reference, signed_quantity
from domain.stock.order_refs import resolve_order_reference
from domain.stock.shipping import check_shipment
from domain.stock.site_check import confirm_on_site
from domain.transactions import write_transaction
from extensions import db

_SKU = select(Sku.id, Sku.active, Sku.units_per_handling_unit).where(Sku.code == bindparam("code"))


@dataclass(frozen=True)
class MoveRequest:
    kind: str
    sku: str  # SKU code, as printed on its label
    qty: Decimal  # > 0; an adjustment is signed
    location_label: str
    gps: GpsInput
    lot: str = ""
    reason: str | None = None
    ref: str | None = None
    warehouse: str | None = None  # the warehouse the worker is working in, when the app knows it


@dataclass(frozen=True)
class MoveResult:
    id: int
    at: datetime
    kind: str
    sku: str
    lot: str
    location: str
    warehouse: str
    qty: Decimal
    on_hand: Decimal
    ref: str | None
    gps_flags: list[str] = field(default_factory=list)


def apply_move(request: MoveRequest, actor: Any) -> MoveResult:
    """Validate the move on site and post it to the ledger, in one write transaction."""
    delta = signed_quantity(request.kind, request.qty, request.reason)
    with write_transaction():
        sku_id, per_handling_unit = _sku(request.sku)
        site = confirm_on_site(
            request.location_label, request.gps, actor, "stock_move", warehouse_id=_warehouse_id(request)
        )
        place = site.place
        ref = request.ref or None
        if needs_order_reference(request.kind):
            ref = resolve_order_reference(request.ref, "ref").number
            check_shipment(ref, sku_id, request.sku.strip(), -delta)
        if request.kind == ADJUSTMENT:
            require_supervisor(delta, _sku_row(sku_id), actor)
        if delta > 0 and request.kind != ADJUSTMENT:
            # Before the balance change: the balance row, which every scan of that SKU and location
            # queues on, is then locked for the change and the commit only (see write_at_commit).
            remaining = remaining_capacity(place.warehouse_id, place.capacity)
            needed = handling_units(delta, per_handling_unit)
            require_room(remaining, needed, place.warehouse_code, unit_name(place.handling_unit))
        reason = (request.reason or "").strip() or None
        facts = {"ref": ref, "reason": reason, "gps_fix_id": site.fix.id}
        move = balances.post(
            request.kind, sku_id, request.lot, place.location_id, delta, actor=actor, **facts
        )
        result = MoveResult(
            id=move.id,
            at=move.at,
            kind=request.kind,
            sku=request.sku.strip(),
            lot=request.lot,
            location=place.location_code,
            warehouse=place.warehouse_code,
            qty=move.qty,
            on_hand=move.on_hand,
            ref=ref,
            gps_flags=site.fix.flags,
        )
        changes = {
            "kind": result.kind,
            "sku": result.sku,
            "lot": result.lot,
            "location": result.location,
            "qty": str(result.qty),
            "on_hand": str(result.on_hand),
            "gps_accuracy_m": request.gps.accuracy_m,
        }
        gps = request.gps.context()
        audit.record("stock_move", "stock_move", move.id, changes, actor=actor, context=gps, at_commit=True)
    return result


def _sku(code: str) -> tuple[int, Decimal]:
    """The SKU's id and how many of its unit fill one handling unit of capacity."""
    found = db.session.execute(_SKU, {"code": code.strip()}).first()
    if found is None or not found.active:
        raise DomainError("unknown_sku", _("There is no SKU %(code)s.", code=code), {"sku": _("unknown SKU")})
    return found.id, found.units_per_handling_unit


def _sku_row(sku_id: int) -> Sku:
    return db.session.get(Sku, sku_id)


def _warehouse_id(request: MoveRequest) -> int | None:
    if not request.warehouse:
        return None
    found = db.session.execute(select(Warehouse.id).where(Warehouse.code == request.warehouse)).scalar()
    if found is None:
        raise DomainError(
            "unknown_warehouse",
            _("There is no warehouse %(code)s.", code=request.warehouse),
            {"warehouse": _("unknown warehouse")},
        )
    return found
