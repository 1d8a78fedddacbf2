"""Time in one place: the database holds naive UTC; people read plant time, the timezone of the app's
PLANT_TIMEZONE setting (config.py, default Asia/Shanghai). Only this module names the setting and builds
zones: everything else asks plant_zone(), plant_now(), plant_today() or converts with to_plant() /
from_plant()."""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@lru_cache(maxsize=8)
def zone_named(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def plant_zone(config: Mapping[str, Any] | None = None) -> ZoneInfo:
    """The plant's timezone from `config` (an app's config), else from the running app's."""
    if config is None:
        from flask import current_app  # the one setting this module reads from the app

        config = current_app.config
    return zone_named(config.get("PLANT_TIMEZONE") or DEFAULT_ZONE)


def as_utc(at: datetime) -> datetime:
    """An instant as the naive UTC the database holds: an aware one converted, a naive one kept (it is
    UTC already)."""
    return at if at.tzinfo is None else at.astimezone(UTC).replace(tzinfo=None)


def to_plant(at_utc: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A stored (naive UTC) or aware instant as an aware plant-time datetime."""
    aware = at_utc if at_utc.tzinfo else at_utc.replace(tzinfo=UTC)
    return aware.astimezone(zone or plant_zone())


def to_plant_naive(at_utc: datetime, zone: ZoneInfo | None = None) -> datetime:
    """Plant wall-clock time without tzinfo, for spreadsheets (which keep no zone)."""
    return to_plant(at_utc, zone).replace(tzinfo=None)


def from_plant(local: datetime, zone: ZoneInfo | None = None) -> datetime:
    """Plant wall-clock time (naive, or aware in any zone) as the naive UTC the database holds."""
    aware = local if local.tzinfo else local.replace(tzinfo=zone or plant_zone())
    return aware.astimezone(UTC).replace(tzinfo=None)


def plant_midnight_utc(day: date, zone: ZoneInfo | None = None) -> datetime:
    """The naive UTC instant at which plant day `day` begins."""
    return from_plant(datetime.combine(day, time()), zone)


def plant_now(zone: ZoneInfo | None = None) -> datetime:
    return datetime.now(UTC).astimezone(zone or plant_zone())


def plant_today(zone: ZoneInfo | None = None) -> date:
    return plant_now(zone).date()


def plant_date(at_utc: datetime, zone: ZoneInfo | None = None) -> date:
    return to_plant(at_utc, zone).date()


def plant_month(at: datetime | date, zone: ZoneInfo | None = None) -> str:
    """ "YYYY-MM" of a stored instant (naive UTC) in the plant, or of a plant date."""
    day = to_plant(at, zone).date() if isinstance(at, datetime) else at
    return f"{day:%Y-%m}"


def format_plant(at_utc: datetime | None, fmt: str = "%Y-%m-%d %H:%M", zone: ZoneInfo | None = None) -> str:
    """The Jinja filter `plant_time`: a stored instant as plant time text ("" for none)."""
    return "" if at_utc is None else to_plant(at_utc, zone).strftime(fmt)
