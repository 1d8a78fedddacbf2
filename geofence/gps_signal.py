"""GPS as a checked signal: flags on a fix that a real phone walking a warehouse would not produce,
and the age rule that refuses a fix too old or from the future (DESIGN §6).

Flags never refuse a move by themselves (a phone indoors can jump, and some browsers round accuracy
to a few fixed values); they are logged with the fix and audited, so spoofing shows up in review,
while the signed location label is what actually proves presence.

A fix's age is measured at the moment the worker confirmed (`confirmed_at`, sent by the phone), not
when the request arrives: a scan queued offline reaches the server late with a fix that was fresh
when it was made. A scan confirmed longer ago than the age limit is accepted but flagged SENT_LATE, so
replaying an old fix by claiming an old confirmation shows up on the exceptions page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from geofence.metric import distance_m

MAX_SPEED_MPS = 50.0  # 180 km/h: no forklift, truck or worker between two scans goes faster
CONSTANT_ACCURACY_RUN = 5  # this many fixes in a row with the very same accuracy looks generated
MAX_FIX_AGE = timedelta(minutes=2)  # default of the GPS_MAX_FIX_AGE_SECONDS setting
CLOCK_SKEW = timedelta(seconds=30)  # a phone clock this far ahead of ours is still "now"
IMPOSSIBLE_SPEED = "impossible_speed"
CONSTANT_ACCURACY = "constant_accuracy"
NO_ACCURACY = "no_accuracy"  # accuracy 0 or missing: no real receiver reports a perfect fix
SENT_LATE = "sent_late"  # confirmed longer ago than the age limit (queued offline, or a replay)
FIX_STALE = "gps_fix_stale"  # refusal codes
FIX_FROM_FUTURE = "gps_fix_from_future"


@dataclass(frozen=True)
class Fix:
    lon: float
    lat: float
    accuracy_m: float
    at: datetime


def speed_mps(earlier: Fix, later: Fix) -> float:
    """The least speed that explains both fixes: their distance less both accuracy radii, over the time
    between them (at least one second, so two fixes stamped alike still compare)."""
    apart = distance_m(earlier.lon, earlier.lat, later.lon, later.lat)
    travelled = max(0.0, apart - earlier.accuracy_m - later.accuracy_m)
    seconds = max(1.0, abs((later.at - earlier.at).total_seconds()))
    return travelled / seconds


def signal_flags(fix: Fix, previous: Sequence[Fix]) -> list[str]:
    """Flags for `fix` given the same user's earlier fixes, newest first."""
    flags = []
    if previous and speed_mps(previous[0], fix) > MAX_SPEED_MPS:
        flags.append(IMPOSSIBLE_SPEED)
    run = previous[: CONSTANT_ACCURACY_RUN - 1]
    if len(run) == CONSTANT_ACCURACY_RUN - 1 and all(p.accuracy_m == fix.accuracy_m for p in run):
        flags.append(CONSTANT_ACCURACY)
    return flags


def fix_time_refusal(
    fix_at: datetime, confirmed_at: datetime | None, now: datetime, max_age: timedelta = MAX_FIX_AGE
) -> str | None:
    """FIX_FROM_FUTURE when the fix (or the confirmation) is later than now, FIX_STALE when the fix was
    older than `max_age` when the worker confirmed; None for a usable fix."""
    if fix_at > now + CLOCK_SKEW or (confirmed_at is not None and confirmed_at > now + CLOCK_SKEW):
        return FIX_FROM_FUTURE
    if (min(confirmed_at or now, now) - fix_at) > max_age:
        return FIX_STALE
    return None


def fix_flags(
    accuracy_m: float | None, confirmed_at: datetime | None, now: datetime, max_age: timedelta
) -> list[str]:
    """Flags that need no earlier fix: no accuracy, and a confirmation older than the age limit."""
    flags = []
    if not accuracy_m:
        flags.append(NO_ACCURACY)
    if confirmed_at is not None and now - confirmed_at > max_age:
        flags.append(SENT_LATE)
    return flags
