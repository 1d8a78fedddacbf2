"""Monthly grouping done by the database: a CASE over exact UTC bounds of plant months, so a year of
records comes back as twelve rows, whatever their number and on SQLite and PostgreSQL alike."""

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case

Bounds = dict[str, tuple[datetime, datetime]]  # plant month "YYYY-MM" → [start, end) in naive UTC


def month_bucket(column: Any, bounds: Bounds) -> Any:
    """SQL: the plant month an instant falls in (NULL outside the bounds)."""
    return case(*((and_(column >= start, column < end), month) for month, (start, end) in bounds.items()))


def window(bounds: Bounds) -> tuple[datetime, datetime]:
    return min(b[0] for b in bounds.values()), max(b[1] for b in bounds.values())
