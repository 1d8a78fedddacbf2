"""Warranty status (保修状态) from the ship date: covered until the same day `months` later."""

import calendar
from dataclasses import dataclass
from datetime import date

IN_WARRANTY, EXPIRED, UNKNOWN = "in_warranty", "expired", "unknown"


@dataclass(frozen=True)
class Warranty:
    status: str  # in_warranty | expired | unknown (no ship date known)
    until: date | None  # the last day covered
    days_left: int | None  # negative once expired


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st of a short month is its last day (Jan 31 + 1 → Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_status(ship_date: date | None, months: int, today: date) -> Warranty:
    """Covered from the ship date (plant calendar) up to and including the day before the same date
    `months` later: shipped 2026-03-15 with 12 months → covered through 2027-03-14."""
    if ship_date is None:
        return Warranty(UNKNOWN, None, None)
    until = date.fromordinal(add_months(ship_date, months).toordinal() - 1)
    days_left = (until - today).days
    return Warranty(IN_WARRANTY if days_left >= 0 else EXPIRED, until, days_left)


def age_months(ship_date: date, on: date) -> int:
    """Whole months from shipment to `on` (a repair's age since shipment)."""
    months = (on.year - ship_date.year) * 12 + on.month - ship_date.month
    if on.day < ship_date.day:
        months -= 1
    return max(months, 0)
