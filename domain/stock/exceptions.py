"""The warehouse supervisor's exceptions (DESIGN §6): GPS flags, refusals by reason, transfer
discrepancies and stock adjustments, filtered by person, warehouse and plant day.

Each list is one query, newest first, at most LIMIT rows. A refusal carries the warehouse its scan
named (domain/stock/refusal_places.py); one that named none (a hand-made label) is left out by the
warehouse filter rather than guessed.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import Select, select

from domain.audit import AuditLog
from domain.clock import as_utc
from domain.masterdata import Location, Sku, Warehouse
from domain.stock.gps_fixes import GpsFix
from domain.stock.ledger import ADJUSTMENT, StockMove
from domain.stock.transfers import Transfer, TransferDiscrepancy
from domain.users import User
from extensions import db

LIMIT = 200
REFUSAL_ACTIONS = ("refused", "label_refused")


@dataclass(frozen=True)
class Filters:
    person: str = ""  # username
    warehouse: str = ""  # warehouse code
    day: date | None = None  # in the plant's timezone


@dataclass(frozen=True)
class Row:
    at: datetime
    person: str
    what: str  # the flag, the refusal code, the SKU …
    detail: str
    warehouse: str = ""
    move_id: int | None = None
    transfer_id: int | None = None


@dataclass
class Exceptions:
    gps_flags: list[Row] = field(default_factory=list)
    refusals: list[Row] = field(default_factory=list)
    refusals_by_reason: list[tuple[str, int]] = field(default_factory=list)
    discrepancies: list[Row] = field(default_factory=list)
    adjustments: list[Row] = field(default_factory=list)


def day_range(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The plant day as naive UTC bounds, as timestamps are stored."""
    start = datetime.combine(day, time(0), zone)
    end = start + timedelta(days=1)
    return as_utc(start), as_utc(end)


def exceptions(filters: Filters, zone: tzinfo) -> Exceptions:
    bounds = day_range(filters.day, zone) if filters.day else None
    found = Exceptions(
        gps_flags=_gps_flags(filters, bounds),
        discrepancies=_discrepancies(filters, bounds),
        adjustments=_adjustments(filters, bounds),
    )
    found.refusals = _refusals(filters, bounds)
    found.refusals_by_reason = Counter(row.what for row in found.refusals).most_common()
    return found


def _filtered(stmt: Select, filters: Filters, bounds, at_column, warehouse_column) -> Select:
    if filters.person:
        stmt = stmt.where(User.username == filters.person)
    if filters.warehouse and warehouse_column is not None:
        stmt = stmt.where(warehouse_column == filters.warehouse)
    if bounds:
        stmt = stmt.where(at_column >= bounds[0], at_column < bounds[1])
    return stmt.limit(LIMIT)


def _gps_flags(filters: Filters, bounds) -> list[Row]:
    stmt = (
        select(GpsFix, User.username, StockMove.id, Location.code, Warehouse.code, StockMove.transfer_id)
        .outerjoin(User, User.id == GpsFix.user_id)
        .outerjoin(StockMove, StockMove.gps_fix_id == GpsFix.id)
        .outerjoin(Location, Location.id == StockMove.location_id)
        .outerjoin(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(GpsFix.flags != "")
        .order_by(GpsFix.id.desc())
    )
    stmt = _filtered(stmt, filters, bounds, GpsFix.received_at, Warehouse.code)
    return [
        Row(
            at=fix.received_at,
            person=username or "",
            what=fix.flags,
            detail=f"{fix.purpose} · ±{fix.accuracy_m:g} m" + (f" · {location}" if location else ""),
            warehouse=warehouse or "",
            move_id=move_id,
            transfer_id=transfer_id,
        )
        for fix, username, move_id, location, warehouse, transfer_id in db.session.execute(stmt)
    ]


def _refusals(filters: Filters, bounds) -> list[Row]:
    stmt = (
        select(AuditLog, User.username)
        .outerjoin(User, User.id == AuditLog.user_id)
        .where(AuditLog.action.in_(REFUSAL_ACTIONS))
        .order_by(AuditLog.id.desc())
    )
    stmt = _filtered(stmt, filters, bounds, AuditLog.at, AuditLog.changes["warehouse"].as_string())
    rows = []
    for entry, username in db.session.execute(stmt):
        changes = entry.changes or {}
        code = changes.get("code") or "invalid_location_label"
        detail = str(changes.get("message") or changes.get("label", ""))
        rows.append(Row(entry.at, username or "", code, detail, warehouse=changes.get("warehouse") or ""))
    return rows


def _discrepancies(filters: Filters, bounds) -> list[Row]:
    stmt = (
        select(TransferDiscrepancy, Transfer, Sku.code, Warehouse.code, User.username)
        .join(Transfer, Transfer.id == TransferDiscrepancy.transfer_id)
        .join(Sku, Sku.id == Transfer.sku_id)
        .join(Warehouse, Warehouse.id == Transfer.to_warehouse_id)
        .outerjoin(User, User.id == TransferDiscrepancy.recorded_by_id)
        .order_by(TransferDiscrepancy.id.desc())
    )
    stmt = _filtered(stmt, filters, bounds, TransferDiscrepancy.recorded_at, Warehouse.code)
    return [
        Row(
            at=row.recorded_at,
            person=username or "",
            what=f"{transfer.number} {sku}",
            detail=f"{_plain(row.picked_qty)} → {_plain(row.received_qty)} ({_plain(row.difference)})"
            + (f" · {row.note}" if row.note else ""),
            warehouse=warehouse,
            transfer_id=transfer.id,
        )
        for row, transfer, sku, warehouse, username in db.session.execute(stmt)
    ]


def _adjustments(filters: Filters, bounds) -> list[Row]:
    stmt = (
        select(StockMove, Sku.code, Location.code, Warehouse.code, User.username)
        .join(Sku, Sku.id == StockMove.sku_id)
        .join(Location, Location.id == StockMove.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .outerjoin(User, User.id == StockMove.user_id)
        .where(StockMove.kind == ADJUSTMENT)
        .order_by(StockMove.id.desc())
    )
    stmt = _filtered(stmt, filters, bounds, StockMove.at, Warehouse.code)
    return [
        Row(
            at=move.at,
            person=username or "",
            what=f"{sku}{' · ' + move.lot if move.lot else ''} {_plain(move.qty, signed=True)}",
            detail=f"{location} · {move.reason or ''}",
            warehouse=warehouse,
            move_id=move.id,
        )
        for move, sku, location, warehouse, username in db.session.execute(stmt)
    ]


def _plain(value, signed: bool = False) -> str:
    text = format(value.normalize(), "f")
    return f"+{text}" if signed and value > 0 else text


@dataclass(frozen=True)
class MoveDetail:
    move: StockMove
    sku: str
    location: str
    warehouse: str
    person: str
    fix: GpsFix | None


def move_detail(move_id: int) -> MoveDetail | None:
    """One move with what the exceptions page shows about it, in one query."""
    row = db.session.execute(
        select(StockMove, Sku.code, Location.code, Warehouse.code, User.username, GpsFix)
        .join(Sku, Sku.id == StockMove.sku_id)
        .join(Location, Location.id == StockMove.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .outerjoin(User, User.id == StockMove.user_id)
        .outerjoin(GpsFix, GpsFix.id == StockMove.gps_fix_id)
        .where(StockMove.id == move_id)
    ).first()
    if row is None:
        return None
    move, sku, location, warehouse, username, fix = row
    return MoveDetail(move, sku, location, warehouse, username or "", fix)
