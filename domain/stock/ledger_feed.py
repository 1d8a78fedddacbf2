"""The stock ledger read in full, in commit order, a page at a time: an ERP pulls every move exactly
once by following `next_cursor`, and comes back later with `resume_cursor` for the moves made since.

Order is (xact_id, id). On PostgreSQL a page holds only moves whose transaction is older than every
transaction of this database still running, so a move that commits later always sorts after every
move already served. SQLite writes one transaction at a time, so there id order is commit order.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text

from domain import keyset
from domain.masterdata import Location, Sku, Warehouse
from domain.stock.ledger import StockMove
from domain.users import User
from extensions import db

SCOPE = "stock_moves"
OLDEST, NEWEST = "oldest", "newest"
ORDERS = (OLDEST, NEWEST)
KEYS = (StockMove.xact_id, StockMove.id)
_FRESH_STATS = text("SELECT pg_stat_clear_snapshot()")
# The lowest transaction id that may still add moves: below the snapshot's xmax every transaction
# either has ended (so the next statement sees its moves) or is running; of the running ones only
# those of this database can write here, so a long transaction in another database (a report, a
# parallel test run) does not hold the feed back. Their 32-bit ids are widened with the xmax's epoch.
_SETTLED = text(
    """
    WITH snap AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax)
    SELECT LEAST(snap.xmax, MIN(full_id - CASE WHEN full_id > snap.xmax THEN 4294967296 ELSE 0 END))
    FROM snap LEFT JOIN LATERAL (
        SELECT ((snap.xmax >> 32) << 32) + a.backend_xid::text::bigint AS full_id
        FROM pg_stat_activity a
        WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL
    ) running ON true
    GROUP BY snap.xmax
    """
)


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


def _conditions(f: LedgerFilter) -> list[Any]:
    """The filters on stock_move's own columns (codes become id subqueries), so counting needs no join."""
    conditions = []
    if f.sku:
        conditions.append(StockMove.sku_id.in_(select(Sku.id).where(Sku.code == f.sku)))
    if f.location or f.warehouse:
        places = select(Location.id).join(Warehouse, Warehouse.id == Location.warehouse_id)
        if f.location:
            places = places.where(Location.code == f.location)
        if f.warehouse:
            places = places.where(Warehouse.code == f.warehouse)
        conditions.append(StockMove.location_id.in_(places))
    if f.since:
        conditions.append(StockMove.at >= f.since)
    if f.until:
        conditions.append(StockMove.at < f.until)
    return conditions


def _rows(conditions: list[Any], newest_first: bool, limit: int) -> list[Any]:
    """Up to `limit` moves in feed order, with their SKU, location, warehouse and user names. The
    moves are picked first and named after, so the joins touch only the rows of the page, whatever
    the planner guesses about the cursor's row comparison."""
    order = [key.desc() for key in KEYS] if newest_first else list(KEYS)
    m = select(StockMove).where(*conditions).order_by(*order).limit(limit).subquery()
    named = (
        select(
            m.c.id,
            m.c.xact_id,
            m.c.at,
            m.c.kind,
            Sku.code.label("sku"),
            m.c.lot,
            Location.code.label("location"),
            Warehouse.code.label("warehouse"),
            m.c.qty,
            m.c.on_hand_after.label("on_hand"),
            m.c.ref,
            m.c.reason,
            m.c.transfer_id,
            User.username.label("user"),
        )
        .join(Sku, Sku.id == m.c.sku_id)
        .join(Location, Location.id == m.c.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .outerjoin(User, User.id == m.c.user_id)
    )
    outer = [m.c.xact_id, m.c.id]
    return list(db.session.execute(named.order_by(*(c.desc() for c in outer) if newest_first else outer)))


def as_dict(row: Any) -> dict[str, Any]:
    return {key: value for key, value in row._mapping.items() if key != "xact_id"}


def read(f: LedgerFilter) -> LedgerPage:
    scope, newest_first = f"{SCOPE}:{f.order}", f.order == NEWEST
    conditions = _conditions(f)
    if not newest_first and db.session.get_bind().dialect.name == "postgresql":
        # Read once: every transaction below it had ended when it was read, so each later statement
        # sees all of their moves.
        db.session.execute(_FRESH_STATS)  # activity figures are otherwise kept for the whole transaction
        conditions.append(StockMove.xact_id < db.session.execute(_SETTLED).scalar_one())
    total = keyset.count(select(StockMove.id).where(*conditions))
    if f.cursor:
        position = keyset.decode(scope, f.cursor, (int, int))
        conditions.append(keyset.after(KEYS, position, newest_first))
    rows = _rows(conditions, newest_first, f.limit + 1)
    more, rows = len(rows) > f.limit, rows[: f.limit]
    positions = [keyset.encode(scope, (row.xact_id, row.id)) for row in rows[-1:]]
    next_cursor = positions[0] if more else None
    # Oldest first, where to come back later for what is new; going back in time, nothing to come back for.
    resume = None if newest_first else (positions[0] if positions else f.cursor)
    return LedgerPage([as_dict(row) for row in rows], total, next_cursor, resume)


def rows_for_export(f: LedgerFilter, cap: int) -> list[dict[str, Any]]:
    """The moves of a date range (and warehouse), oldest first; at most `cap` + 1, so a caller can
    tell that the range holds more than it will write."""
    return [as_dict(row) for row in _rows(_conditions(f), False, cap + 1)]
