"""Label sheets: cards (a QR code with readable text under it) for locations, SKUs, lots, work orders and
serial numbers, laid out on A4 sheets or one per 50×30 mm thermal label.

The page size lives in the sheet's stylesheet (`@page`), so the browser's print dialog (or a thermal
printer's driver) prints at the real size: pwa/css/labels-a4.css, pwa/css/labels-thermal.css.
"""

from dataclasses import dataclass
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from domain.masterdata import Location, Sku, Warehouse
from domain.stock.ledger import StockBalance
from extensions import db
from scanning.label_signing import location_label_url
from scanning.labels import LOT, SERIAL, SKU, WORK_ORDER, container_url, label_url
from scanning.qr import qr_svg

MAX_CARDS = 500  # one print job; a warehouse with more locations prints them by zone


@dataclass(frozen=True)
class SheetFormat:
    key: str
    name: object  # a lazy string
    stylesheet: str  # under pwa/
    per_page: int


FORMATS = {
    "a4": SheetFormat("a4", _l("A4 sheet, 3 × 8 labels of 70 × 37 mm"), "css/labels-a4.css", 24),
    "thermal": SheetFormat("thermal", _l("Thermal labels, 50 × 30 mm"), "css/labels-thermal.css", 1),
}


@dataclass(frozen=True)
class Card:
    """One label: the code's payload, a big title and a line or two under the code."""

    payload: str
    title: str
    lines: tuple[str, ...] = ()

    @cached_property
    def svg(self) -> str:
        return qr_svg(self.payload)


def pages(cards: list[Card], sheet: SheetFormat) -> list[list[Card]]:
    return [cards[i : i + sheet.per_page] for i in range(0, len(cards), sheet.per_page)]


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


@dataclass(frozen=True)
class ContainerQty:
    """The quantity packed in one container, and the key that signs it on the label."""

    qty: str
    key: bytes


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


NUMBER_KINDS = {WORK_ORDER: _l("Work order"), SERIAL: _l("Serial number")}


def number_cards(base: str, kind: str, numbers: list[str]) -> list[Card]:
    """Labels for work order or serial numbers as typed (one per line), each printed once."""
    unique = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))[:MAX_CARDS]
    return [Card(label_url(base, kind, number), number, (str(NUMBER_KINDS[kind]),)) for number in unique]
