"""Time in one place: naive UTC in the database, the plant's timezone for display and 'days left'."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
