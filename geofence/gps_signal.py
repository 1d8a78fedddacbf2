"""GPS as a checked signal: flags on a fix that a real phone walking a warehouse would not produce.

Flags never refuse a move by themselves (a phone indoors can jump, and some browsers round accuracy
to a few fixed values); they are logged with the fix and audited, so spoofing shows up in review,
while the signed location label is what actually proves presence.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from geofence.metric import distance_m

MAX_SPEED_MPS = 50.0  # 180 km/h: no forklift, truck or worker between two scans goes faster
CONSTANT_ACCURACY_RUN = 5  # this many fixes in a row with the very same accuracy looks generated
IMPOSSIBLE_SPEED = "impossible_speed"
CONSTANT_ACCURACY = "constant_accuracy"


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
