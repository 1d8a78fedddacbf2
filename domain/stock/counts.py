"""Cycle counts (盘点) and the supervisor rule for large adjustments (DESIGN §6).

A count names what is on the shelf; the difference to the ledger becomes one adjustment move with the
reason. An adjustment larger than ADJUSTMENT_SUPERVISOR_UNITS handling units (a pallet position by
default) needs a warehouse supervisor (or an administrator), who approves it by making it (README
"Phone scanner").
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from domain import audit
from domain.clock import utcnow
from domain.errors import DomainError
from domain.masterdata import Sku
from domain.quantities import quantity
from domain.roles import ADMIN, SUPERVISOR
from domain.stock import balances
from domain.stock.gps_fixes import GpsInput
from domain.stock.handling_units import handling_units, shown
from domain.stock.ledger import ADJUSTMENT, StockBalance
from domain.stock.site_check import confirm_on_site
from domain.transactions import write_transaction
from extensions import db

SUPERVISOR_ROLES = frozenset({SUPERVISOR, ADMIN})
DEFAULT_SUPERVISOR_UNITS = Decimal(1)


@dataclass(frozen=True)
class Count:
    sku: str
    counted: Decimal
    location_label: str
    gps: GpsInput
    lot: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Counted:
    at: datetime
    sku: str
    lot: str
    location: str
    warehouse: str
    on_hand_before: Decimal
    counted: Decimal
    difference: Decimal
    move_id: int | None
    gps_flags: list[str] = field(default_factory=list)


def needs_supervisor(difference: Decimal, units_per_handling_unit: Decimal | None, limit: Decimal) -> bool:
    """An adjustment of more than `limit` handling units, up or down."""
    return abs(handling_units(difference, units_per_handling_unit)) > limit


def require_supervisor(difference: Decimal, sku: Sku, actor: Any) -> None:
    limit = Decimal(str(current_app.config.get("ADJUSTMENT_SUPERVISOR_UNITS", DEFAULT_SUPERVISOR_UNITS)))
    if not needs_supervisor(difference, sku.units_per_handling_unit, limit):
        return
    if actor is not None and actor.has_any_role(SUPERVISOR_ROLES):
        return
    message = _(
        "An adjustment of more than %(limit)s handling units needs a warehouse supervisor or an admin.",
        limit=shown(limit),
    )
    raise DomainError("adjustment_needs_supervisor", message, {"qty": message}, status=403)


def record_count(count: Count, actor: Any) -> Counted:
    counted = quantity(count.counted)
    if counted < 0:
        message = _("A count cannot be below 0.")
        raise DomainError("invalid_quantity", message, {"qty": message})
    with write_transaction():
        sku = _sku(count.sku)
        site = confirm_on_site(count.location_label, count.gps, actor, "stock_count")
        place = site.place
        before = db.session.execute(
            select(StockBalance.qty)
            .where(
                StockBalance.sku_id == sku.id,
                StockBalance.lot == count.lot,
                StockBalance.location_id == place.location_id,
            )
            .with_for_update()
        ).scalar() or Decimal(0)
        difference = counted - before
        move_id = None
        if difference:
            reason = count.reason.strip()
            if not reason:
                message = _("Say why the count differs from the stock (damaged, found, miscounted ...).")
                raise DomainError("adjustment_reason_required", message, {"reason": message})
            require_supervisor(difference, sku, actor)
            # The ledger keeps plain data, not the worker's language: "count:" marks a cycle count.
            facts = {"reason": f"count: {reason}"[:200], "gps_fix_id": site.fix.id}
            posted = balances.post(
                ADJUSTMENT, sku.id, count.lot, place.location_id, difference, actor=actor, **facts
            )
            move_id = posted.id
        changes = {"sku": sku.code, "lot": count.lot, "location": place.location_code}
        changes |= {"on_hand": str(before), "counted": str(counted), "difference": str(difference)}
        audit.record(
            "stock_counted", "stock_move", move_id, changes, actor=actor, context=count.gps.context()
        )
    return Counted(
        utcnow(),
        sku.code,
        count.lot,
        place.location_code,
        place.warehouse_code,
        before,
        counted,
        difference,
        move_id,
        site.fix.flags,
    )


def _sku(code: str) -> Sku:
    sku = db.session.execute(select(Sku).where(Sku.code == code.strip())).scalar_one_or_none()
    if sku is None or not sku.active:
        raise DomainError("unknown_sku", _("There is no SKU %(code)s.", code=code), {"sku": _("unknown SKU")})
    return sku
