"""Warehouse remaining capacity (余量): capacity less what is on hand and what is on its way in."""

from decimal import Decimal

from sqlalchemy import func, select

from domain.masterdata import Location, Warehouse
from domain.stock.ledger import StockBalance
from domain.stock.transfers import INBOUND_STATES, Transfer
from extensions import db


def remaining_capacity(warehouse_id: int, capacity: Decimal) -> Decimal | None:
    """None when the warehouse is not limited (capacity 0). Locks the warehouse row on PostgreSQL, so
    concurrent inbound requests to one warehouse are checked one after the other (SQLite's write
    transactions are serialised already)."""
    if not capacity:
        return None
    # FOR NO KEY UPDATE: serialises the checks without blocking the foreign-key checks (KEY SHARE) of
    # inserts that merely reference the warehouse, which would otherwise deadlock against them.
    db.session.execute(
        select(Warehouse.id).where(Warehouse.id == warehouse_id).with_for_update(key_share=True)
    )
    return capacity - on_hand_in(warehouse_id) - inbound_to(warehouse_id)


def on_hand_in(warehouse_id: int) -> Decimal:
    total = db.session.execute(
        select(func.sum(StockBalance.qty))
        .join(Location, Location.id == StockBalance.location_id)
        .where(Location.warehouse_id == warehouse_id)
    ).scalar()
    return total or Decimal(0)


def inbound_to(warehouse_id: int) -> Decimal:
    """Transfers on their way to the warehouse: the requested quantity until picked, then the picked one."""
    total = db.session.execute(
        select(func.sum(func.coalesce(Transfer.picked_qty, Transfer.qty))).where(
            Transfer.to_warehouse_id == warehouse_id, Transfer.state.in_(INBOUND_STATES)
        )
    ).scalar()
    return total or Decimal(0)
