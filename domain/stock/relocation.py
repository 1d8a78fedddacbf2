"""Moving stock from one location to another (库位间移库): scanned out of one shelf and into the other
in one transaction, two ledger rows, each location's label and geofence checked with the worker's fix."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from domain import audit
from domain.errors import DomainError
from domain.masterdata import Sku
from domain.quantities import quantity
from domain.stock import balances
from domain.stock.capacity import remaining_capacity
from domain.stock.gps_fixes import GpsInput, record_fix, require_fresh
from domain.stock.handling_units import handling_units, require_room, unit_name
from domain.stock.ledger import RELOCATE_IN, RELOCATE_OUT
from domain.stock.site_check import labelled_location, require_in_fence
from domain.transactions import write_transaction
from extensions import db


@dataclass(frozen=True)
class Relocation:
    sku: str
    qty: Decimal
    from_label: str
    to_label: str
    gps: GpsInput
    lot: str = ""


@dataclass(frozen=True)
class Relocated:
    out_id: int
    in_id: int
    at: datetime
    sku: str
    lot: str
    qty: Decimal
    from_location: str
    to_location: str
    warehouse: str
    on_hand_from: Decimal
    on_hand_to: Decimal
    gps_flags: list[str] = field(default_factory=list)


def relocate(request: Relocation, actor: Any) -> Relocated:
    qty = quantity(request.qty)
    if qty <= 0:
        message = _("The quantity must be more than 0.")
        raise DomainError("invalid_quantity", message, {"qty": message})
    with write_transaction():
        sku = _sku(request.sku)
        source = labelled_location(request.from_label)
        target = _labelled(request.to_label, "to_label")
        if source.location_id == target.location_id:
            raise DomainError(
                "relocation_same_location",
                _("Scan another location to move the stock to."),
                {"to_label": _("same as the source")},
            )
        require_fresh(request.gps)
        fix = record_fix(actor, request.gps, "relocate")
        require_in_fence(source, request.gps)
        require_in_fence(target, request.gps)
        if target.warehouse_id != source.warehouse_id:
            remaining = remaining_capacity(target.warehouse_id, target.capacity)
            needed = handling_units(qty, sku.units_per_handling_unit)
            require_room(remaining, needed, target.warehouse_code, unit_name(target.handling_unit))
        facts = {"gps_fix_id": fix.id, "reason": f"→ {target.location_code}"[:200]}
        out = balances.post(RELOCATE_OUT, sku.id, request.lot, source.location_id, -qty, actor=actor, **facts)
        facts["reason"] = f"← {source.location_code}"[:200]
        into = balances.post(RELOCATE_IN, sku.id, request.lot, target.location_id, qty, actor=actor, **facts)
        changes = {
            "sku": sku.code,
            "lot": request.lot,
            "qty": str(qty),
            "from": source.location_code,
            "to": target.location_code,
            "gps_accuracy_m": request.gps.accuracy_m,
        }
        audit.record(
            "stock_relocated", "stock_move", out.id, changes, actor=actor, context=request.gps.context()
        )
    return Relocated(
        out.id,
        into.id,
        out.at,
        sku.code,
        request.lot,
        qty,
        source.location_code,
        target.location_code,
        target.warehouse_code,
        out.on_hand,
        into.on_hand,
        fix.flags,
    )


def _labelled(label: str, field_name: str):
    """The target's label, refused naming its own field (the source's refusal names location_label)."""
    try:
        return labelled_location(label)
    except DomainError as refusal:
        if refusal.fields:
            refusal.fields = {field_name: next(iter(refusal.fields.values()))}
        raise


def _sku(code: str) -> Sku:
    sku = db.session.execute(select(Sku).where(Sku.code == code.strip())).scalar_one_or_none()
    if sku is None or not sku.active:
        raise DomainError("unknown_sku", _("There is no SKU %(code)s.", code=code), {"sku": _("unknown SKU")})
    return sku
