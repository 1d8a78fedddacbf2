"""The pick list (拣货单) of a sales order (DESIGN §6): what is still to ship of each line and where the
warehouse holds it, printed with the order's QR label for the scanner's Ship mode.

An order has one line today (its product, shipped as the finished-goods SKU of the same code); the list
is built per line so more lines need no other change here.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from domain.masterdata import Location, Sku, Warehouse
from domain.orders.models import Order
from domain.stock.ledger import StockBalance
from domain.stock.shipping import inspected_qty, shipped_qty
from extensions import db


@dataclass(frozen=True)
class Shelf:
    warehouse: str
    location: str
    lot: str
    qty: Decimal


@dataclass(frozen=True)
class PickLine:
    sku: str
    name: str
    unit: str
    ordered: Decimal
    inspected: Decimal  # passed final inspection
    shipped: Decimal
    shelves: list[Shelf] = field(default_factory=list)

    @property
    def to_ship(self) -> Decimal:
        return still_to_ship(self.ordered, self.shipped)


@dataclass(frozen=True)
class PickList:
    number: str
    customer: str
    lines: list[PickLine]


def still_to_ship(ordered: Decimal, shipped: Decimal) -> Decimal:
    """What the order still waits for; never below 0 (an over-shipment is not a negative pick)."""
    return max(Decimal(ordered) - Decimal(shipped), Decimal(0))


def pick_list(order: Order) -> PickList:
    """The order's pick list: its line with the numbers to ship and the shelves holding the item."""
    sku = db.session.execute(select(Sku).where(Sku.code == order.product.model)).scalar_one_or_none()
    line = PickLine(
        sku=order.product.model,
        name=sku.name if sku else order.product.name,
        unit=sku.unit if sku else "",
        ordered=Decimal(order.quantity),
        inspected=inspected_qty(order.id),
        shipped=shipped_qty(order.number, sku.id) if sku else Decimal(0),
        shelves=shelves_of(sku.id) if sku else [],
    )
    return PickList(order.number, order.customer.name, [line])


def shelves_of(sku_id: int) -> list[Shelf]:
    """Every location holding the SKU, by warehouse and location code (one query)."""
    rows = db.session.execute(
        select(Warehouse.code, Location.code, StockBalance.lot, StockBalance.qty)
        .join(Location, Location.id == StockBalance.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(StockBalance.sku_id == sku_id, StockBalance.qty > 0)
        .order_by(Warehouse.code, Location.code, StockBalance.lot)
    )
    return [Shelf(*row) for row in rows]
