"""Read-only views of stock for the API: balances and a location's signed label (the ledger: ledger_feed)."""

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from domain import keyset
from domain.errors import NotFound
from domain.masterdata import Location, Sku, Warehouse
from domain.stock.ledger import StockBalance
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
    sku: str | None = None,
    warehouse: str | None = None,
    location: str | None = None,
    limit: int = 200,
    cursor: str | None = None,
) -> keyset.Page:
    """Non-zero balances by warehouse, location, SKU and lot, a page at a time."""
    stmt = (
        select(Sku.code, StockBalance.lot, Location.code, Warehouse.code, StockBalance.qty, StockBalance.id)
        .join(Sku, Sku.id == StockBalance.sku_id)
        .join(Location, Location.id == StockBalance.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(StockBalance.qty != 0, *_filters(sku, warehouse, location))
    )
    found = keyset.page(
        stmt,
        keys=(Warehouse.code, Location.code, Sku.code, StockBalance.lot, StockBalance.id),
        key_of=lambda row: (row[3], row[2], row[0], row[1], row[5]),
        scope="stock",
        limit=limit,
        cursor=cursor,
        scalars=False,
    )
    keys = ("sku", "lot", "location", "warehouse", "qty")
    return replace(found, items=[dict(zip(keys, row[:5], strict=True)) for row in found.items])


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
        "url": location_label_url(base_url, key, location_id, row[0]),
    }
