"""Lon/lat to metres: a local tangent-plane projection on the WGS 84 ellipsoid.

Around a reference point the plane uses the ellipsoid's two radii of curvature there (meridian and
prime vertical), so a metre east and a metre north are both a metre. At Dongguan (lat 23°) a point
2 km from the reference is placed within about 0.3 m; a sphere of mean radius would be off by 0.4%
north-south (4 m per km), which is why the ellipsoid is used.
"""

import math
from dataclasses import dataclass, field

WGS84_A = 6_378_137.0  # semi-major axis, metres
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)


def metres_per_degree(lat: float) -> tuple[float, float]:
    """(metres per degree of longitude, metres per degree of latitude) at latitude `lat`."""
    phi = math.radians(lat)
    w = 1 - WGS84_E2 * math.sin(phi) ** 2
    meridian = WGS84_A * (1 - WGS84_E2) / w**1.5
    prime_vertical = WGS84_A / math.sqrt(w)
    return math.radians(prime_vertical * math.cos(phi)), math.radians(meridian)


@dataclass(frozen=True)
class LocalProjection:
    """x east and y north in metres from (lon0, lat0)."""

    lon0: float
    lat0: float
    per_lon: float = field(init=False, repr=False)
    per_lat: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        per_lon, per_lat = metres_per_degree(self.lat0)
        object.__setattr__(self, "per_lon", per_lon)
        object.__setattr__(self, "per_lat", per_lat)

    def to_metres(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.per_lon, (lat - self.lat0) * self.per_lat


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance between two nearby fixes in metres (projected around their midpoint)."""
    projection = LocalProjection((lon1 + lon2) / 2, (lat1 + lat2) / 2)
    x1, y1 = projection.to_metres(lon1, lat1)
    x2, y2 = projection.to_metres(lon2, lat2)
    return math.hypot(x2 - x1, y2 - y1)
