"""Read-only views of stock for the API: balances, the ledger, and a location's signed label."""

from typing import Any

from sqlalchemy import select

from domain.errors import NotFound
from domain.masterdata import Location, Sku, Warehouse
from domain.stock.ledger import StockBalance, StockMove
from extensions import db
from scanning.label_signing import current_key, location_label_url, location_token


def _filters(sku: str | None, warehouse: str | None, location: str | None) -> list:
    conditions = []
    if sku:
        conditions.append(Sku.code == sku)
    if warehouse:
        conditions.append(Warehouse.code == warehouse)
    if location:
        conditions.append(Location.code == location)
    return conditions


def balances(
    sku: str | None = None, warehouse: str | None = None, location: str | None = None, limit: int = 200
):
    rows = db.session.execute(
        select(Sku.code, StockBalance.lot, Location.code, Warehouse.code, StockBalance.qty)
        .join(Sku, Sku.id == StockBalance.sku_id)
        .join(Location, Location.id == StockBalance.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(StockBalance.qty != 0, *_filters(sku, warehouse, location))
        .order_by(Warehouse.code, Location.code, Sku.code, StockBalance.lot)
        .limit(limit)
    )
    keys = ("sku", "lot", "location", "warehouse", "qty")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def ledger(
    sku: str | None = None, warehouse: str | None = None, location: str | None = None, limit: int = 200
):
    """The newest moves first."""
    rows = db.session.execute(
        select(StockMove, Sku.code, Location.code, Warehouse.code)
        .join(Sku, Sku.id == StockMove.sku_id)
        .join(Location, Location.id == StockMove.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(*_filters(sku, warehouse, location))
        .order_by(StockMove.id.desc())
        .limit(limit)
    )
    return [
        _move(move, sku_code, location_code, warehouse_code)
        for move, sku_code, location_code, warehouse_code in rows
    ]


def _move(move: StockMove, sku: str, location: str, warehouse: str) -> dict[str, Any]:
    return {
        "id": move.id,
        "at": move.at,
        "kind": move.kind,
        "sku": sku,
        "lot": move.lot,
        "location": location,
        "warehouse": warehouse,
        "qty": move.qty,
        "on_hand": move.on_hand_after,
        "ref": move.ref,
        "reason": move.reason,
        "transfer_id": move.transfer_id,
    }


def location_label(location_id: int, base_url: str) -> dict[str, Any]:
    row = db.session.execute(
        select(Location.code, Warehouse.code).join(Warehouse).where(Location.id == location_id)
    ).first()
    if row is None:
        raise NotFound("location", location_id)
    key = current_key()
    return {
        "location_id": location_id,
        "location": row[0],
        "warehouse": row[1],
        "token": location_token(key, location_id),
        "url": location_label_url(base_url, key, location_id),
    }
