"""Transfer steps (调拨单): request, pick at the source, dispatch, receive at the target, or cancel.

Each step is one write transaction, audited with the worker's GPS fix. The transfer row is locked
(FOR NO KEY UPDATE on PostgreSQL; SQLite serialises write transactions), so two phones cannot both
pick or both receive one transfer. NO KEY: the foreign-key checks of concurrent inserts that only
reference a locked row (a move naming the SKU) take KEY SHARE locks, which FOR UPDATE would block and
turn into deadlocks.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from domain import audit, keyset
from domain.clock import utcnow
from domain.errors import DomainError, NotFound
from domain.masterdata import Location, Sku, Warehouse
from domain.quantities import quantity
from domain.stock import balances
from domain.stock.capacity import remaining_capacity
from domain.stock.gps_fixes import GpsInput, record_fix, require_fresh
from domain.stock.handling_units import handling_units, require_room, unit_name
from domain.stock.ledger import TRANSFER_IN, TRANSFER_OUT, StockBalance
from domain.stock.order_refs import resolve_order_reference
from domain.stock.site_check import confirm_on_site, labelled_location
from domain.stock.transfer_rules import (
    next_state,
    picked_quantity,
    require_available,
    require_not_paused,
    require_received_quantity,
)
from domain.stock.transfers import ON_THE_ROAD, REQUESTED, Transfer, TransferDiscrepancy
from domain.transactions import write_transaction
from extensions import db


@dataclass(frozen=True)
class TransferRequest:
    order_ref: str
    sku: str
    qty: Decimal
    from_warehouse: str
    to_warehouse: str
    lot: str = ""
    gps: GpsInput | None = None
    location_label: str = ""  # on the phone: the source location scanned names the source warehouse


@dataclass(frozen=True)
class ScanStep:
    """A pick or a receipt: the location label scanned, the fix, and the counted quantity if it differs."""

    location_label: str
    gps: GpsInput
    qty: Decimal | None = None
    note: str = ""


def request_transfer(request: TransferRequest, actor: Any) -> Transfer:
    qty = quantity(request.qty)
    if qty <= 0:
        raise DomainError(
            "invalid_quantity", _("The quantity must be more than 0."), {"qty": _("more than 0")}
        )
    with write_transaction():
        ref = resolve_order_reference(request.order_ref)
        source, target = _warehouses(_source_code(request), request.to_warehouse)
        sku = _locked_sku(request.sku)
        require_not_paused(sku.code, in_transit(sku.id), sku.safety_stock)
        require_available(available_for_transfer(sku.id, request.lot, source.id), qty, source.code)
        needed = handling_units(qty, sku.units_per_handling_unit)
        remaining = remaining_capacity(target.id, target.capacity)
        require_room(remaining, needed, target.code, unit_name(target.handling_unit))
        transfer = Transfer(
            order_ref=ref.number,
            order_kind=ref.kind,
            sku=sku,
            lot=request.lot,
            qty=qty,
            from_warehouse=source,
            to_warehouse=target,
            requested_by_id=getattr(actor, "id", None),
        )
        db.session.add(transfer)
        db.session.flush()
        if request.gps is not None:
            require_fresh(request.gps)
            record_fix(actor, request.gps, "transfer_request")
        _audit("transfer_requested", transfer, actor, request.gps, {"qty": str(qty), "order_ref": ref.number})
    return transfer


def pick(transfer_id: int, step: ScanStep, actor: Any) -> Transfer:
    with write_transaction():
        transfer = _locked_transfer(transfer_id)
        state = next_state(transfer.number, transfer.state, "pick", transfer.stopped_reason)
        site = confirm_on_site(
            step.location_label, step.gps, actor, "transfer_pick", warehouse_id=transfer.from_warehouse_id
        )
        picked = picked_quantity(transfer.qty, None if step.qty is None else quantity(step.qty))
        balances.post(
            TRANSFER_OUT,
            transfer.sku_id,
            transfer.lot,
            site.place.location_id,
            -picked,
            actor=actor,
            ref=transfer.order_ref,
            transfer_id=transfer.id,
            gps_fix_id=site.fix.id,
        )
        transfer.state, transfer.picked_qty, transfer.picked_at = state, picked, utcnow()
        transfer.pick_location_id = site.place.location_id
        _audit(
            "transfer_picked",
            transfer,
            actor,
            step.gps,
            {"qty": str(picked), "location": site.place.location_code},
        )
    return transfer


def dispatch(transfer_id: int, gps: GpsInput | None, actor: Any) -> Transfer:
    with write_transaction():
        transfer = _locked_transfer(transfer_id)
        transfer.state = next_state(transfer.number, transfer.state, "dispatch", transfer.stopped_reason)
        transfer.dispatched_at = utcnow()
        if gps is not None:
            require_fresh(gps)
            record_fix(actor, gps, "transfer_dispatch")
        _audit("transfer_dispatched", transfer, actor, gps, {"qty": str(transfer.picked_qty)})
    return transfer


def receive(transfer_id: int, step: ScanStep, actor: Any) -> Transfer:
    with write_transaction():
        transfer = _locked_transfer(transfer_id)
        state = next_state(transfer.number, transfer.state, "receive")
        site = confirm_on_site(
            step.location_label, step.gps, actor, "transfer_receive", warehouse_id=transfer.to_warehouse_id
        )
        picked = transfer.picked_qty or Decimal(0)
        received = require_received_quantity(picked if step.qty is None else quantity(step.qty))
        if received > 0:
            balances.post(
                TRANSFER_IN,
                transfer.sku_id,
                transfer.lot,
                site.place.location_id,
                received,
                actor=actor,
                ref=transfer.order_ref,
                transfer_id=transfer.id,
                gps_fix_id=site.fix.id,
            )
        transfer.state, transfer.received_qty, transfer.received_at = state, received, utcnow()
        transfer.receive_location_id = site.place.location_id
        changes = {"qty": str(received), "location": site.place.location_code}
        _audit("transfer_received", transfer, actor, step.gps, changes)
        if received != picked:
            _record_discrepancy(transfer, picked, received, step, actor)
    return transfer


def cancel(transfer_id: int, actor: Any) -> Transfer:
    with write_transaction():
        transfer = _locked_transfer(transfer_id)
        transfer.state = next_state(transfer.number, transfer.state, "cancel")
        transfer.cancelled_at = utcnow()
        _audit("transfer_cancelled", transfer, actor, None, {})
    return transfer


# ---- quantities the rules need, one aggregate query each ----


def list_transfers(state: str | None = None, limit: int = 100, cursor: str | None = None) -> keyset.Page:
    """The newest transfers first, a page at a time."""
    stmt = select(Transfer)
    if state:
        stmt = stmt.where(Transfer.state == state)
    return keyset.by_id(stmt, Transfer.id, scope="transfers", limit=limit, cursor=cursor, newest_first=True)


def in_transit(sku_id: int) -> Decimal:
    total = db.session.execute(
        select(func.sum(Transfer.picked_qty)).where(
            Transfer.sku_id == sku_id, Transfer.state.in_(ON_THE_ROAD)
        )
    ).scalar()
    return total or Decimal(0)


def available_for_transfer(sku_id: int, lot: str, warehouse_id: int) -> Decimal:
    """On hand in the warehouse less what requested (not yet picked) transfers from it have reserved."""
    on_hand = db.session.execute(
        select(func.sum(StockBalance.qty))
        .join(Location, Location.id == StockBalance.location_id)
        .where(StockBalance.sku_id == sku_id, StockBalance.lot == lot, Location.warehouse_id == warehouse_id)
    ).scalar()
    reserved = db.session.execute(
        select(func.sum(Transfer.qty)).where(
            Transfer.sku_id == sku_id,
            Transfer.lot == lot,
            Transfer.from_warehouse_id == warehouse_id,
            Transfer.state == REQUESTED,
        )
    ).scalar()
    return (on_hand or Decimal(0)) - (reserved or Decimal(0))


# ---- loading ----


def _locked_transfer(transfer_id: int) -> Transfer:
    transfer = db.session.execute(
        select(Transfer)
        .where(Transfer.id == transfer_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if transfer is None:
        raise NotFound(_("Transfer"), transfer_id)
    return transfer


def _locked_sku(code: str) -> Sku:
    """The SKU row, locked on PostgreSQL so requests for one SKU check the pause and stock one at a time."""
    sku = db.session.execute(
        select(Sku).where(Sku.code == code.strip()).with_for_update(key_share=True)
    ).scalar_one_or_none()
    if sku is None or not sku.active:
        raise DomainError("unknown_sku", _("There is no SKU %(code)s.", code=code), {"sku": _("unknown SKU")})
    return sku


def _source_code(request: TransferRequest) -> str:
    """The source warehouse: named, or the warehouse of the location label scanned on the phone."""
    if request.from_warehouse.strip():
        return request.from_warehouse
    if request.location_label.strip():
        return labelled_location(request.location_label).warehouse_code
    raise DomainError(
        "missing_source_warehouse",
        _("Scan the location the stock is taken from, or name its warehouse."),
        {"from_warehouse": _("required")},
    )


def _warehouses(source_code: str, target_code: str) -> tuple[Warehouse, Warehouse]:
    codes = {"from_warehouse": source_code.strip(), "to_warehouse": target_code.strip()}
    if codes["from_warehouse"] == codes["to_warehouse"]:
        raise DomainError(
            "transfer_same_warehouse",
            _("A transfer goes from one warehouse to another."),
            {"to_warehouse": _("same as the source")},
        )
    found = {
        w.code: w
        for w in db.session.execute(select(Warehouse).where(Warehouse.code.in_(codes.values()))).scalars()
    }
    for field, code in codes.items():
        if code not in found or not found[code].active:
            raise DomainError(
                "unknown_warehouse",
                _("There is no warehouse %(code)s.", code=code),
                {field: _("unknown warehouse")},
            )
    return found[codes["from_warehouse"]], found[codes["to_warehouse"]]


def _record_discrepancy(
    transfer: Transfer, picked: Decimal, received: Decimal, step: ScanStep, actor: Any
) -> None:
    row = TransferDiscrepancy(
        transfer_id=transfer.id,
        picked_qty=picked,
        received_qty=received,
        difference=received - picked,
        note=(step.note or "")[:200],
        recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(row)
    changes = {"picked": str(picked), "received": str(received), "difference": str(received - picked)}
    _audit("transfer_discrepancy", transfer, actor, step.gps, changes)


def _audit(
    action: str, transfer: Transfer, actor: Any, gps: GpsInput | None, changes: dict[str, Any]
) -> None:
    context = gps.context() if gps is not None else {}
    if gps is not None:
        changes = {**changes, "gps_accuracy_m": gps.accuracy_m}
    audit.record(
        action,
        "stock_transfer",
        transfer.id,
        {"state": transfer.state, **changes},
        actor=actor,
        context=context,
    )
