"""Material availability for rush scoring (DESIGN §3.3, §5): an order with work orders takes their
kitting rate (domain/kitting, locked BOM); before conversion, the share of the active BOM's lines whose
requirement (BOM quantity × order quantity + scrap) the available stock covers (on hand − reservations −
transfers requested out)."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain.kitting import service as kitting
from domain.masterdata import BomVersion
from extensions import db

HUNDRED = Decimal(100)


def line_requirement(qty_per: Decimal, scrap_pct: Decimal, quantity: Decimal) -> Decimal:
    return qty_per * quantity * (1 + scrap_pct / HUNDRED)


def covered_share(requirements: Mapping[int, Decimal], available: Mapping[int, Decimal]) -> Decimal:
    """Share of lines (by SKU) whose requirement is fully available; an empty BOM needs nothing."""
    if not requirements:
        return Decimal(1)
    covered = sum(1 for sku, need in requirements.items() if available.get(sku, Decimal(0)) >= need)
    return Decimal(covered) / Decimal(len(requirements))


def _on_hand(sku_ids: Iterable[int]) -> Mapping[int, Decimal] | None:
    """Available per SKU over every warehouse (domain/kitting/service.py): on hand less open
    reservations and transfers requested out; a picked transfer has already left its balance."""
    return kitting.available_by_sku(set(sku_ids))


def rate_for_order(order: Any) -> Decimal | None:
    """The order's work orders' kitting rate once it has any, else the estimate for its product."""
    rate = kitting.order_rate(order.id)
    return rate if rate is not None else rate_for(order.product_id, order.quantity)


def rate_for(product_id: int, quantity: Decimal) -> Decimal | None:
    """The kitting rate 0..1 for making `quantity` of the product; None when the product has no
    active BOM or no stock data exists to judge it (the score then says so instead of guessing)."""
    bom = db.session.execute(
        select(BomVersion)
        .options(selectinload(BomVersion.lines))
        .where(BomVersion.product_id == product_id, BomVersion.status == "active")
    ).scalar_one_or_none()
    if bom is None:
        return None
    requirements: dict[int, Decimal] = {}
    for line in bom.lines:
        need = line_requirement(line.qty_per, line.scrap_pct or Decimal(0), quantity)
        requirements[line.sku_id] = requirements.get(line.sku_id, Decimal(0)) + need
    available = _on_hand(requirements)
    if available is None:
        return None
    return covered_share(requirements, available)
