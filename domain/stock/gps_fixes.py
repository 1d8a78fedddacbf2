"""The GPS fixes phones send with stock actions: logged, checked for spoofing signs, flagged and audited."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, bindparam, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from domain import audit
from domain.clock import utcnow
from extensions import db
from geofence.gps_signal import CONSTANT_ACCURACY_RUN, Fix, signal_flags


@dataclass(frozen=True)
class GpsInput:
    """A fix as the phone reports it; `at` is when the phone took it (queued offline scans arrive late)."""

    lat: float
    lon: float
    accuracy_m: float
    at: datetime | None = None

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


def record_fix(actor: Any, gps: GpsInput, purpose: str) -> LoggedFix:
    """Log the fix in the current transaction with its signal flags; a flagged fix is audited too."""
    now = utcnow()
    fix_at = min(gps.at or now, now)  # a phone clock ahead of ours cannot claim the future
    user_id = getattr(actor, "id", None)
    flags = signal_flags(Fix(gps.lon, gps.lat, gps.accuracy_m, fix_at), _previous(user_id, fix_at))
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
