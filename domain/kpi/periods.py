"""Plant time for KPIs: "today", months and days left are the plant's (domain/clock.py), while the
database holds naive UTC."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain import clock


def plant_today(zone: ZoneInfo, now_utc: datetime | None = None) -> date:
    return clock.plant_date(now_utc, zone) if now_utc else clock.plant_today(zone)


def plant_date(at_utc: datetime, zone: ZoneInfo) -> date:
    return clock.plant_date(at_utc, zone)


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def utc_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The naive UTC instant at which `day` starts in the plant."""
    return clock.plant_midnight_utc(day, zone)


def _first_of(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_bounds_utc(month: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a plant month ("YYYY-MM") as naive UTC, for range conditions on indexed columns."""
    first = _first_of(month)
    return utc_midnight(first, zone), utc_midnight(_next_month(first), zone)


def last_months(today: date, count: int) -> list[str]:
    """The `count` months up to and including today's, oldest first."""
    months: list[str] = []
    first = today.replace(day=1)
    for _ in range(count):
        months.append(month_key(first))
        first = (first - timedelta(days=1)).replace(day=1)
    return months[::-1]


def month_of(at_utc: datetime, bounds: dict[str, tuple[datetime, datetime]]) -> str | None:
    """Which of the given months holds this instant (None: outside all of them)."""
    for month, (start, end) in bounds.items():
        if start <= at_utc < end:
            return month
    return None
