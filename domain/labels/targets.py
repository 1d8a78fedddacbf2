"""What a scanned label names, looked up for its landing page: a location, a SKU and its stock, a lot,
a work order. Read-only."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from domain.masterdata import Location, Sku, Warehouse
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.stock.ledger import StockBalance
from extensions import db


@dataclass(frozen=True)
class StockLine:
    warehouse: str
    location: str
    sku: str
    lot: str
    qty: Decimal
    unit: str


@dataclass(frozen=True)
class SkuStock:
    sku: Sku | None
    lines: list[StockLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.qty for line in self.lines), Decimal(0))


def _stock(*conditions, limit: int = 200) -> list[StockLine]:
    rows = db.session.execute(
        select(Warehouse.code, Location.code, Sku.code, StockBalance.lot, StockBalance.qty, Sku.unit)
        .join(Sku, Sku.id == StockBalance.sku_id)
        .join(Location, Location.id == StockBalance.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(StockBalance.qty != 0, *conditions)
        .order_by(Warehouse.code, Location.code, Sku.code, StockBalance.lot)
        .limit(limit)
    )
    return [StockLine(*row) for row in rows]


def location(location_id: int) -> tuple[Location | None, list[StockLine]]:
    """The location with its warehouse, and what is on it."""
    found = db.session.execute(
        select(Location).join(Warehouse).where(Location.id == location_id)
    ).scalar_one_or_none()
    if found is None:
        return None, []
    return found, _stock(StockBalance.location_id == location_id)


def sku_stock(code: str, lot: str | None = None) -> SkuStock:
    """A SKU and where it lies; with `lot`, that lot only."""
    sku = db.session.execute(select(Sku).where(Sku.code == code)).scalar_one_or_none()
    if sku is None:
        return SkuStock(None)
    conditions = [StockBalance.sku_id == sku.id]
    if lot is not None:
        conditions.append(StockBalance.lot == lot)
    return SkuStock(sku, _stock(*conditions))


def split_lot_path(segments: list[str]) -> tuple[str, str] | None:
    """(sku, lot) from a lot label's path whose `%2F` was decoded on the way (a proxy, a login redirect):
    the longest leading run of segments that is a SKU code, the rest the lot."""
    if len(segments) < 2:
        return None
    candidates = ["/".join(segments[:cut]) for cut in range(len(segments) - 1, 0, -1)]
    known = set(db.session.execute(select(Sku.code).where(Sku.code.in_(candidates))).scalars())
    for cut in range(len(segments) - 1, 0, -1):
        if "/".join(segments[:cut]) in known:
            return "/".join(segments[:cut]), "/".join(segments[cut:])
    return "/".join(segments[:-1]), segments[-1]


def work_order(number: str) -> WorkOrder | None:
    return db.session.execute(select(WorkOrder).where(WorkOrder.number == number)).scalar_one_or_none()


def sales_order_id(number: str) -> int | None:
    return db.session.execute(select(Order.id).where(Order.number == number)).scalar_one_or_none()
