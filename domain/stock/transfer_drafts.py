"""A transfer request drafted from a material shortage (DESIGN §5, §6): a work order short of a SKU asks
for the missing quantity to be moved to the warehouse that feeds it, from the one holding the most.

The planner or warehouse worker sees the draft in the transfer request form and may change any field;
the request itself is checked as every other (domain/stock/transfer_service.py).
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from domain.masterdata import Location, Sku, Warehouse
from domain.stock.ledger import ISSUE, StockBalance, StockMove
from extensions import db


@dataclass(frozen=True)
class TransferDraft:
    order_ref: str
    sku: str
    qty: Decimal
    to_warehouse: str  # "" when not known: the form asks
    from_warehouse: str


def choose_source(on_hand: dict[str, Decimal], destination: str) -> str:
    """The warehouse (other than the destination) holding the most of the SKU; "" when none holds any."""
    held = {code: qty for code, qty in on_hand.items() if code != destination and qty > 0}
    return max(sorted(held), key=held.__getitem__) if held else ""


def draft_for_shortage(work_order_number: str, sku_code: str, short: Decimal) -> TransferDraft:
    """The request that would cover `short` of the SKU for the work order."""
    destination = feeding_warehouse(work_order_number)
    source = choose_source(on_hand_by_warehouse(sku_code), destination)
    return TransferDraft(work_order_number, sku_code, short, destination, source)


def feeding_warehouse(work_order_number: str) -> str:
    """The warehouse that last issued material to the work order: where its line draws from."""
    found = db.session.execute(
        select(Warehouse.code)
        .join(Location, Location.warehouse_id == Warehouse.id)
        .join(StockMove, StockMove.location_id == Location.id)
        .where(StockMove.kind == ISSUE, StockMove.ref == work_order_number)
        .order_by(StockMove.id.desc())
        .limit(1)
    ).scalar()
    return found or ""


def on_hand_by_warehouse(sku_code: str) -> dict[str, Decimal]:
    rows = db.session.execute(
        select(Warehouse.code, func.sum(StockBalance.qty))
        .join(Location, Location.warehouse_id == Warehouse.id)
        .join(StockBalance, StockBalance.location_id == Location.id)
        .join(Sku, Sku.id == StockBalance.sku_id)
        .where(Sku.code == sku_code, Warehouse.active)
        .group_by(Warehouse.code)
    )
    return {code: Decimal(qty or 0) for code, qty in rows}
