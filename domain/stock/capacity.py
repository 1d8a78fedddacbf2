"""Warehouse remaining capacity (余量) in handling units: capacity less what is on hand and what is on
its way in, each SKU converted by its own figure (domain/stock/handling_units.py)."""

from decimal import Decimal

from sqlalchemy import BigInteger, bindparam, func, literal_column, select, union_all

from domain.masterdata import Location, Sku, Warehouse
from domain.quantities import ExactQty
from domain.stock.handling_units import occupied
from domain.stock.ledger import StockBalance
from domain.stock.transfers import INBOUND_STATES, Transfer
from domain.transactions import pipelined, rows_in_one_round_trip
from extensions import db

_WAREHOUSE, _LOCATION, _SKU = Warehouse.__table__, Location.__table__, Sku.__table__
_BALANCE, _TRANSFER = StockBalance.__table__, Transfer.__table__

# FOR NO KEY UPDATE: serialises the checks without blocking the foreign-key checks (KEY SHARE) of
# inserts that merely reference the warehouse, which would otherwise deadlock against them.
_LOCK = (
    select(_WAREHOUSE.c.id)
    .where(_WAREHOUSE.c.id == bindparam("warehouse_id"))
    .with_for_update(key_share=True)
)
_ON_HAND = (
    select(_BALANCE.c.sku_id, _BALANCE.c.qty.label("qty"))
    .join(_LOCATION, _LOCATION.c.id == _BALANCE.c.location_id)
    .where(_LOCATION.c.warehouse_id == bindparam("warehouse_id"))
)
# Transfers on their way in: the requested quantity until picked, then the picked one.
_INBOUND = select(
    _TRANSFER.c.sku_id, func.coalesce(_TRANSFER.c.picked_qty, _TRANSFER.c.qty).label("qty")
).where(_TRANSFER.c.to_warehouse_id == bindparam("warehouse_id"), _TRANSFER.c.state.in_(INBOUND_STATES))
_HELD = union_all(_ON_HAND, _INBOUND).subquery()
# One statement, after the lock: on PostgreSQL it then sees every check that went before (READ
# COMMITTED takes a fresh snapshot per statement). One row per SKU with its conversion figure: the
# division is done in Python on exact decimals (quantities are stored as whole thousandths).
_OCCUPIED = (
    select(_SKU.c.units_per_handling_unit, func.sum(_HELD.c.qty, type_=BigInteger).label("qty"))
    .join(_SKU, _SKU.c.id == _HELD.c.sku_id)
    .group_by(_SKU.c.id, _SKU.c.units_per_handling_unit)
    .having(func.sum(_HELD.c.qty) != literal_column("0"))
)
_PER = select(_SKU.c.units_per_handling_unit).where(_SKU.c.id == bindparam("sku_id"))
_QTY = ExactQty()


def remaining_capacity(warehouse_id: int, capacity: Decimal) -> Decimal | None:
    """Handling units still free; None when the warehouse is not limited (capacity 0). Locks the
    warehouse row on PostgreSQL, so concurrent inbound checks to one warehouse go one after the
    other (SQLite's write transactions are serialised already)."""
    if not capacity:
        return None
    params = {"warehouse_id": warehouse_id}
    connection = db.session.connection()
    if pipelined(connection):
        # The lock and the sums in one round trip: every receipt into the warehouse queues on the
        # lock, so each round trip made while holding it costs them all. The sums come back raw.
        _, rows = rows_in_one_round_trip(connection, (_LOCK, params), (_OCCUPIED, params))
    else:
        db.session.execute(_LOCK, params)
        rows = db.session.execute(_OCCUPIED, params).all()
    held = [(per, _QTY.process_result_value(qty, None)) for per, qty in rows]
    return Decimal(capacity) - occupied(held)


def units_per_handling_unit(sku_id: int) -> Decimal | None:
    return db.session.execute(_PER, {"sku_id": sku_id}).scalar()
