"""The GPS fixes phones send with stock actions: logged, checked for spoofing signs, flagged and audited."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Index, String, bindparam, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from domain import audit
from domain.clock import utcnow
from domain.errors import DomainError
from extensions import db
from geofence.gps_signal import (
    CONSTANT_ACCURACY_RUN,
    FIX_FROM_FUTURE,
    MAX_FIX_AGE,
    Fix,
    fix_flags,
    fix_time_refusal,
    signal_flags,
)


@dataclass(frozen=True)
class GpsInput:
    """A fix as the phone reports it; `at` is when the phone took it, `confirmed_at` when the worker
    confirmed the scan (queued offline scans arrive late)."""

    lat: float
    lon: float
    accuracy_m: float
    at: datetime | None = None
    confirmed_at: datetime | None = None

    def context(self) -> dict[str, Any]:
        """For audit.record(..., context=...)."""
        return {"lat": self.lat, "lon": self.lon}


class GpsFix(db.Model):
    __table_args__ = (Index("ix_gps_fix_user_fix_at", "user_id", "fix_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    fix_at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    lat: Mapped[float]
    lon: Mapped[float]
    accuracy_m: Mapped[float]
    flags: Mapped[str] = mapped_column(String(64), default="")  # comma-separated geofence.gps_signal flags
    purpose: Mapped[str] = mapped_column(String(32), default="")  # e.g. stock_move, transfer_pick


_TABLE = GpsFix.__table__
_INSERT = insert(_TABLE).returning(_TABLE.c.id)
_PREVIOUS = (
    select(_TABLE.c.lon, _TABLE.c.lat, _TABLE.c.accuracy_m, _TABLE.c.fix_at)
    .where(_TABLE.c.user_id == bindparam("user_id"), _TABLE.c.fix_at <= bindparam("before"))
    .order_by(_TABLE.c.fix_at.desc(), _TABLE.c.id.desc())
    .limit(CONSTANT_ACCURACY_RUN - 1)
)


@dataclass(frozen=True)
class LoggedFix:
    id: int
    flags: list[str]


def max_fix_age() -> timedelta:
    seconds = current_app.config.get("GPS_MAX_FIX_AGE_SECONDS")
    return MAX_FIX_AGE if seconds is None else timedelta(seconds=float(seconds))


def require_fresh(gps: GpsInput) -> None:
    """Refuse a fix taken too long before the worker confirmed, or one dated in the future."""
    limit = max_fix_age()
    code = fix_time_refusal(gps.at or utcnow(), gps.confirmed_at, utcnow(), limit)
    if code == FIX_FROM_FUTURE:
        raise DomainError(
            code,
            _("The GPS fix is dated in the future; check the phone's clock and scan again."),
            {"gps": _("fix dated in the future")},
        )
    if code is not None:
        minutes = f"{limit.total_seconds() / 60:g}"
        raise DomainError(
            code,
            _(
                "The GPS fix is older than %(minutes)s minutes; wait for a fresh fix and scan again.",
                minutes=minutes,
            ),
            {"gps": _("fix older than %(minutes)s min", minutes=minutes)},
        )


def record_fix(actor: Any, gps: GpsInput, purpose: str) -> LoggedFix:
    """Log the fix in the current transaction with its signal flags; a flagged fix is audited too."""
    now = utcnow()
    fix_at = min(gps.at or now, now)  # a phone clock ahead of ours cannot claim the future
    user_id = getattr(actor, "id", None)
    flags = signal_flags(Fix(gps.lon, gps.lat, gps.accuracy_m, fix_at), _previous(user_id, fix_at))
    flags += fix_flags(gps.accuracy_m, gps.confirmed_at, now, max_fix_age())
    row = {
        "received_at": now,
        "fix_at": fix_at,
        "user_id": user_id,
        "lat": gps.lat,
        "lon": gps.lon,
        "accuracy_m": gps.accuracy_m,
        "flags": ",".join(flags),
        "purpose": purpose,
    }
    fix_id = db.session.execute(_INSERT, row).scalar_one()
    if flags:
        audit.record("gps_flagged", "gps_fix", fix_id, {"flags": flags}, actor=actor, context=gps.context())
    return LoggedFix(fix_id, flags)


def _previous(user_id: int | None, before: datetime) -> list[Fix]:
    """The same user's fixes up to `before`, newest first, as many as the signal rules look at."""
    if user_id is None:
        return []
    rows = db.session.execute(_PREVIOUS, {"user_id": user_id, "before": before})
    return [Fix(lon, lat, accuracy, at) for lon, lat, accuracy, at in rows]
