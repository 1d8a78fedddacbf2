"""The cards of a label sheet for what the plant has: its locations (signed), SKUs and lots on hand.
Laying them out on the page is scanning/sheets.py."""

from sqlalchemy import select

from domain.masterdata import Location, Sku, Warehouse
from domain.stock.ledger import StockBalance
from extensions import db
from scanning.label_signing import location_label_url
from scanning.labels import LOT, SKU, container_url, label_url
from scanning.sheets import MAX_CARDS, Card, ContainerQty


def warehouses() -> list[Warehouse]:
    return list(
        db.session.execute(select(Warehouse).where(Warehouse.active).order_by(Warehouse.code)).scalars()
    )


def location_cards(
    base: str, key: bytes, warehouse_code: str, location_ids: list[int] | None = None
) -> list[Card]:
    """Signed labels for the warehouse's locations in use (or the chosen ones), in code order."""
    query = (
        select(Location, Warehouse)
        .join(Warehouse)
        .where(Warehouse.code == warehouse_code, Location.active)
        .order_by(Location.code)
        .limit(MAX_CARDS)
    )
    if location_ids:
        query = query.where(Location.id.in_(location_ids))
    return [
        Card(
            location_label_url(base, key, location.id, location.code),
            location.code,
            tuple(filter(None, (f"{warehouse.code} {warehouse.name}", location.name))),
        )
        for location, warehouse in db.session.execute(query)
    ]


def sku_cards(base: str, codes: list[str] | None = None, search: str = "") -> list[Card]:
    """Labels for the chosen SKU codes, or for the SKUs in use whose code or name holds `search`."""
    query = select(Sku).where(Sku.active).order_by(Sku.code).limit(MAX_CARDS)
    if codes:
        query = select(Sku).where(Sku.code.in_(codes)).order_by(Sku.code)
    elif search:
        pattern = f"%{search}%"
        query = query.where(Sku.code.ilike(pattern) | Sku.name.ilike(pattern))
    return [
        Card(label_url(base, SKU, sku.code), sku.code, (sku.name,))
        for sku in db.session.execute(query).scalars()
    ]


def lot_cards(
    base: str,
    warehouse_code: str = "",
    sku_code: str = "",
    lot: str = "",
    container: ContainerQty | None = None,
) -> list[Card]:
    """Labels for the lots on hand (in a warehouse, of a SKU), or for one lot named by SKU and lot;
    with `container`, that lot's container label carrying the quantity packed in it."""
    if sku_code and lot:
        sku = db.session.execute(select(Sku).where(Sku.code == sku_code)).scalar_one_or_none()
        name = sku.name if sku else ""
        if container:
            payload = container_url(base, container.key, sku_code, lot, container.qty)
            packed = f"{container.qty} {sku.unit if sku else ''}".strip()
            return [Card(payload, lot, tuple(filter(None, (sku_code, name, packed))))]
        return [Card(label_url(base, LOT, sku_code, lot), lot, tuple(filter(None, (sku_code, name))))]
    query = (
        select(Sku.code, Sku.name, StockBalance.lot)
        .join(Sku, Sku.id == StockBalance.sku_id)
        .join(Location, Location.id == StockBalance.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(StockBalance.lot != "", StockBalance.qty > 0)
        .group_by(Sku.code, Sku.name, StockBalance.lot)
        .order_by(Sku.code, StockBalance.lot)
        .limit(MAX_CARDS)
    )
    if warehouse_code:
        query = query.where(Warehouse.code == warehouse_code)
    if sku_code:
        query = query.where(Sku.code == sku_code)
    return [
        Card(label_url(base, LOT, code, lot_code), lot_code, (code, name))
        for code, name, lot_code in db.session.execute(query)
    ]
