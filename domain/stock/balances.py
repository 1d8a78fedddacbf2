"""Posting to the ledger: change one balance atomically and append the move that explains it.

Both databases get the same statements. Taking stock is one conditional UPDATE (`qty = qty - n WHERE
qty >= n`), so two concurrent takes can never both succeed on the last units, whatever the isolation
level; putting stock is one upsert. The `qty >= 0` check constraint stands behind both.

The statements are built once with bind parameters: they run inside the write lock on every scan,
and building a SQLAlchemy statement costs several times what SQLite takes to execute it.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from domain.clock import utcnow
from domain.errors import DomainError
from domain.quantities import ExactQty, plain
from domain.stock.ledger import StockBalance, StockMove
from extensions import db

BALANCE = StockBalance.__table__
MOVE = StockMove.__table__
# Bind names differ from column names: SQLAlchemy reserves those for the VALUES / SET clause.
_AMOUNT = bindparam("b_amount", type_=ExactQty())
_IS_BALANCE = (
    BALANCE.c.sku_id == bindparam("b_sku"),
    BALANCE.c.lot == bindparam("b_lot"),
    BALANCE.c.location_id == bindparam("b_location"),
)
_TAKE = (
    update(BALANCE)
    .where(*_IS_BALANCE, BALANCE.c.qty >= _AMOUNT)
    .values(qty=BALANCE.c.qty - _AMOUNT, updated_at=bindparam("b_now"))
    .returning(BALANCE.c.qty)
)
_ON_HAND = select(BALANCE.c.qty).where(*_IS_BALANCE)
_APPEND = insert(MOVE).returning(MOVE.c.id)


def _upsert(dialect) -> Any:
    stmt = dialect.insert(BALANCE).values(
        sku_id=bindparam("b_sku"),
        lot=bindparam("b_lot"),
        location_id=bindparam("b_location"),
        qty=_AMOUNT,
        updated_at=bindparam("b_now"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[BALANCE.c.sku_id, BALANCE.c.lot, BALANCE.c.location_id],
        set_={"qty": BALANCE.c.qty + stmt.excluded.qty, "updated_at": stmt.excluded.updated_at},
    ).returning(BALANCE.c.qty)


_PUT = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}

# PostgreSQL: the balance change and the ledger row in one statement (a data-modifying CTE), so the
# balance row's lock, which every scan of that SKU and location queues on, is held one round trip
# less. The ledger row is written only if the balance changed; SQLite runs the two statements.
_MOVE_COLUMNS = (
    "at", "kind", "sku_id", "lot", "location_id", "qty", "reason", "ref", "transfer_id", "gps_fix_id",
    "user_id",
)  # fmt: skip


def _change_and_append(change: Any) -> Any:
    changed = change.cte("changed")
    values = [bindparam(f"m_{name}", type_=MOVE.c[name].type) for name in _MOVE_COLUMNS]
    return (
        insert(MOVE)
        .from_select([*_MOVE_COLUMNS, "on_hand_after"], select(*values, changed.c.qty))
        .returning(MOVE.c.id, MOVE.c.on_hand_after)
    )


_TAKE_AND_APPEND = _change_and_append(_TAKE)
_PUT_AND_APPEND = _change_and_append(_PUT["postgresql"])


@dataclass(frozen=True)
class Posted:
    """A move as written: its id and time, the signed quantity, and the balance after it."""

    id: int
    at: datetime
    qty: Decimal
    on_hand: Decimal


def post(
    kind: str, sku_id: int, lot: str, location_id: int, delta: Decimal, *, actor: Any = None, **facts: Any
) -> Posted:
    """Apply `delta` to the (SKU, lot, location) balance and append the move; `facts` are the move's
    ref, reason, transfer_id and gps_fix_id. Refuses with `insufficient_stock` rather than go below 0."""
    at = utcnow()
    where = {"b_sku": sku_id, "b_lot": lot, "b_location": location_id, "b_now": at, "b_amount": abs(delta)}
    row = {"ref": None, "reason": None, "transfer_id": None, "gps_fix_id": None, **facts, "at": at}
    row |= {"kind": kind, "sku_id": sku_id, "lot": lot, "location_id": location_id, "qty": delta}
    row["user_id"] = getattr(actor, "id", None)  # the columns of _MOVE_COLUMNS, for both paths
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = _PUT_AND_APPEND if delta > 0 else _TAKE_AND_APPEND
        posted = db.session.execute(statement, {**where, **{f"m_{k}": v for k, v in row.items()}}).first()
        if posted is None:  # nothing taken: not enough on hand
            raise insufficient(_current(sku_id, lot, location_id), -delta)
        return Posted(posted.id, at, delta, posted.on_hand_after)
    if delta > 0:
        on_hand = db.session.execute(_PUT[dialect], where).scalar_one()
    else:
        on_hand = db.session.execute(_TAKE, where).scalar()
        if on_hand is None:
            raise insufficient(_current(sku_id, lot, location_id), -delta)
    move_id = db.session.execute(_APPEND, {**row, "on_hand_after": on_hand}).scalar_one()
    return Posted(move_id, at, delta, on_hand)


def _current(sku_id: int, lot: str, location_id: int) -> Decimal:
    qty = db.session.execute(_ON_HAND, {"b_sku": sku_id, "b_lot": lot, "b_location": location_id}).scalar()
    return qty if qty is not None else Decimal(0)


def insufficient(available: Decimal, wanted: Decimal) -> DomainError:
    message = _(
        "Not enough stock: %(available)s on hand, %(wanted)s needed.",
        available=plain(available),
        wanted=plain(wanted),
    )
    return DomainError("insufficient_stock", message, {"qty": message})
