"""The stock ledger read in full, in commit order, a page at a time: an ERP pulls every move exactly
once by following `next_cursor`, and comes back later with `resume_cursor` for the moves made since.

Order is (xact_id, id). On PostgreSQL a page holds only moves whose transaction is older than every
transaction still running (the snapshot's xmin), so a move that commits later always sorts after
every move already served. SQLite writes one transaction at a time, so there id order is commit order.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal_column, select

from domain import keyset
from domain.masterdata import Location, Sku, Warehouse
from domain.stock.ledger import StockMove
from domain.users import User
from extensions import db

SCOPE = "stock_moves"
OLDEST, NEWEST = "oldest", "newest"
ORDERS = (OLDEST, NEWEST)
KEYS = (StockMove.xact_id, StockMove.id)
_SETTLED = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


@dataclass(frozen=True)
class LedgerFilter:
    sku: str | None = None
    warehouse: str | None = None
    location: str | None = None
    since: datetime | None = None  # naive UTC; moves at or after it
    until: datetime | None = None  # naive UTC; moves before it
    order: str = OLDEST
    limit: int = 200
    cursor: str | None = None


@dataclass(frozen=True)
class LedgerPage:
    items: list[dict[str, Any]]
    total: int
    next_cursor: str | None
    resume_cursor: str | None  # oldest first: where to go on from later, after the last move served


def statement(f: LedgerFilter) -> Select:
    """Moves with their SKU, location and warehouse codes, filtered, in no order yet."""
    stmt = (
        select(StockMove, Sku.code, Location.code, Warehouse.code, User.username)
        .join(Sku, Sku.id == StockMove.sku_id)
        .join(Location, Location.id == StockMove.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .outerjoin(User, User.id == StockMove.user_id)
    )
    for column, value in ((Sku.code, f.sku), (Warehouse.code, f.warehouse), (Location.code, f.location)):
        if value:
            stmt = stmt.where(column == value)
    if f.since:
        stmt = stmt.where(StockMove.at >= f.since)
    if f.until:
        stmt = stmt.where(StockMove.at < f.until)
    return stmt


def read(f: LedgerFilter) -> LedgerPage:
    stmt = statement(f)
    if f.order == OLDEST and db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.where(StockMove.xact_id < _SETTLED)
    found = keyset.page(
        stmt,
        keys=KEYS,
        key_of=lambda row: (row[0].xact_id, row[0].id),
        scope=f"{SCOPE}:{f.order}",
        limit=f.limit,
        cursor=f.cursor,
        descending=f.order == NEWEST,
        scalars=False,
    )
    items = [as_dict(*row) for row in found.items]
    last = found.items[-1][0] if found.items else None
    resume = keyset.encode(f"{SCOPE}:{f.order}", (last.xact_id, last.id)) if last else f.cursor
    if f.order == NEWEST:
        resume = None  # going back in time, there is nothing to come back for
    return LedgerPage(items, found.total, found.next_cursor, resume)


def as_dict(move: StockMove, sku: str, location: str, warehouse: str, user: str | None) -> dict[str, Any]:
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
        "user": user,
    }


def rows_for_export(f: LedgerFilter, cap: int) -> list[dict[str, Any]]:
    """The moves of a date range (and warehouse), oldest first; at most `cap` + 1, so a caller can
    tell that the range holds more than it will write."""
    rows = db.session.execute(statement(f).order_by(*KEYS).limit(cap + 1))
    return [as_dict(*row) for row in rows]
