"""Gap-free numbers: WO-YYYYMMDD-NNNN per plant day, and each team's task card sequence.

A counter row per scope is incremented with one `UPDATE … RETURNING` inside the creating transaction.
On PostgreSQL the update holds the row lock until commit, so a concurrent conversion waits and then
reads the committed value (READ COMMITTED re-checks the updated row); on SQLite the whole write
transaction already runs under BEGIN IMMEDIATE. A rolled-back conversion rolls its increment back
too, so numbers are consecutive: no gaps, no duplicates.
"""

from datetime import date

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from domain.production.models import ProductionCounter
from extensions import db

WORK_ORDER_PREFIX = "WO"


def work_order_number(day: date) -> str:
    return f"{WORK_ORDER_PREFIX}-{day:%Y%m%d}-{next_value(f'wo:{day:%Y%m%d}'):04d}"


def next_card_seq(team_id: int) -> int:
    return next_value(f"card:{team_id}")


def next_value(scope: str) -> int:
    """The scope's next number, 1 for a new scope; call inside the write transaction that uses it."""
    _ensure_row(scope)
    bump = (
        update(ProductionCounter)
        .where(ProductionCounter.scope == scope)
        .values(value=ProductionCounter.value + 1)
        .returning(ProductionCounter.value)
    )
    return db.session.execute(bump).scalar_one()


def _ensure_row(scope: str) -> None:
    """Insert the scope's row unless it exists; a concurrent insert of the same row waits for the
    other transaction and then does nothing, instead of failing on the primary key."""
    dialect = db.session.connection().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ProductionCounter).values(scope=scope, value=0).on_conflict_do_nothing()
    db.session.execute(statement)
