"""Warehouse remaining capacity (余量): capacity less what is on hand and what is on its way in."""

from decimal import Decimal

from sqlalchemy import bindparam, func, select

from domain.masterdata import Location, Warehouse
from domain.stock.ledger import StockBalance
from domain.stock.quantity import ExactQty
from domain.stock.transfers import INBOUND_STATES, Transfer
from domain.transactions import pipelined, rows_in_one_round_trip
from extensions import db

_WAREHOUSE, _LOCATION = Warehouse.__table__, Location.__table__
_BALANCE, _TRANSFER = StockBalance.__table__, Transfer.__table__

# FOR NO KEY UPDATE: serialises the checks without blocking the foreign-key checks (KEY SHARE) of
# inserts that merely reference the warehouse, which would otherwise deadlock against them.
_LOCK = (
    select(_WAREHOUSE.c.id)
    .where(_WAREHOUSE.c.id == bindparam("warehouse_id"))
    .with_for_update(key_share=True)
)
_ON_HAND = (
    select(func.coalesce(func.sum(_BALANCE.c.qty), 0, type_=ExactQty))
    .join(_LOCATION, _LOCATION.c.id == _BALANCE.c.location_id)
    .where(_LOCATION.c.warehouse_id == bindparam("warehouse_id"))
    .scalar_subquery()
)
# Transfers on their way in: the requested quantity until picked, then the picked one.
_INBOUND = (
    select(func.coalesce(func.sum(func.coalesce(_TRANSFER.c.picked_qty, _TRANSFER.c.qty)), 0, type_=ExactQty))
    .where(_TRANSFER.c.to_warehouse_id == bindparam("warehouse_id"), _TRANSFER.c.state.in_(INBOUND_STATES))
    .scalar_subquery()
)
# One statement for both sums, after the lock: on PostgreSQL it then sees every check that went
# before (READ COMMITTED takes a fresh snapshot per statement), and the lock is held one round
# trip less. Built once: a receipt runs it on every scan.
_OCCUPIED = select(_ON_HAND, _INBOUND)
_QTY = ExactQty()


def remaining_capacity(warehouse_id: int, capacity: Decimal) -> Decimal | None:
    """None when the warehouse is not limited (capacity 0). Locks the warehouse row on PostgreSQL, so
    concurrent inbound requests to one warehouse are checked one after the other (SQLite's write
    transactions are serialised already)."""
    if not capacity:
        return None
    params = {"warehouse_id": warehouse_id}
    connection = db.session.connection()
    if pipelined(connection):
        # The lock and the sums in one round trip: every receipt into the warehouse queues on the
        # lock, so each round trip made while holding it costs them all. The sums come back raw.
        _, [sums] = rows_in_one_round_trip(connection, (_LOCK, params), (_OCCUPIED, params))
        on_hand, inbound = (_QTY.process_result_value(value, None) for value in sums)
    else:
        db.session.execute(_LOCK, params)
        on_hand, inbound = db.session.execute(_OCCUPIED, params).one()
    return capacity - on_hand - inbound
