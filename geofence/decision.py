"""The geofence accept rule of DESIGN §6: where a GPS fix must be for a stock move to count there."""

import math
from dataclasses import dataclass

from flask_babel import gettext as _

from geofence.errors import FenceRefused
from geofence.prepared import MetricFence

MAX_ACCURACY_M = 30.0  # a fix vaguer than this cannot tell one yard from the next street


@dataclass(frozen=True)
class FenceDecision:
    accepted: bool
    code: str | None  # None when accepted, else "gps_inaccurate" or "outside_geofence"
    distance_m: float  # 0 inside the fence, else metres to its nearest edge
    accuracy_m: float


def decide(fence: MetricFence, lon: float, lat: float, accuracy_m: float) -> FenceDecision:
    """Accepted when the fix is inside the polygon, or outside by no more than its own accuracy; a fix
    vaguer than 30 m is refused wherever it lands, since inside or outside it proves nothing."""
    if not (math.isfinite(accuracy_m) and accuracy_m >= 0):
        raise ValueError(f"accuracy must be a non-negative number of metres, not {accuracy_m!r}")
    distance = fence.distance_m(lon, lat)
    if accuracy_m > MAX_ACCURACY_M:
        return FenceDecision(False, "gps_inaccurate", distance, accuracy_m)
    if distance <= accuracy_m:
        return FenceDecision(True, None, distance, accuracy_m)
    return FenceDecision(False, "outside_geofence", distance, accuracy_m)


def require_on_site(
    fence: MetricFence, lon: float, lat: float, accuracy_m: float, place: str
) -> FenceDecision:
    """`decide`, raising the refusal as a FenceRefused that tells the worker what to do about it."""
    decision = decide(fence, lon, lat, accuracy_m)
    if decision.code == "gps_inaccurate":
        raise FenceRefused(
            "gps_inaccurate",
            _(
                "The GPS fix is only accurate to %(accuracy)s m; %(max)s m or better is needed. "
                "Wait a moment in the open for a better fix and try again.",
                accuracy=_metres(accuracy_m),
                max=_metres(MAX_ACCURACY_M),
            ),
            {"gps": _("accuracy %(accuracy)s m", accuracy=_metres(accuracy_m))},
        )
    if decision.code == "outside_geofence":
        raise FenceRefused(
            "outside_geofence",
            _(
                "You are %(distance)s m outside the fence of %(place)s (GPS accuracy %(accuracy)s m).",
                distance=_metres(decision.distance_m),
                place=place,
                accuracy=_metres(accuracy_m),
            ),
            {"gps": _("%(distance)s m outside the fence", distance=_metres(decision.distance_m))},
        )
    return decision


def _metres(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}".removesuffix(".0")
