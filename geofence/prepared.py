"""Warehouse fences as metric Shapely polygons, built once per fence and cached.

The cache is keyed by the fence's content, so editing a warehouse's polygon gives a new entry at once
and the old one simply ages out; nothing has to remember to invalidate it.
"""

import json
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import Point, Polygon

from geofence.metric import LocalProjection


@dataclass(frozen=True)
class MetricFence:
    """One warehouse polygon projected to metres around its own centroid, holes included."""

    projection: LocalProjection
    shape: Polygon
    # GEOS builds a prepared geometry's index lazily and is not thread-safe while doing so.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def contains(self, lon: float, lat: float) -> bool:
        point = Point(self.projection.to_metres(lon, lat))
        with self._lock:
            return bool(self.shape.covers(point))  # on the boundary counts as inside

    def distance_m(self, lon: float, lat: float) -> float:
        """0 inside; otherwise metres to the nearest edge (a point in a hole measures to the hole's edge)."""
        point = Point(self.projection.to_metres(lon, lat))
        with self._lock:
            if self.shape.covers(point):
                return 0.0
            return float(self.shape.distance(point))


def metric_fence(fence: dict[str, Any]) -> MetricFence:
    """The cached metric polygon for a stored GeoJSON Polygon (lon/lat, as geofence.fences stores it)."""
    return _build(json.dumps(fence, sort_keys=True, separators=(",", ":")))


@lru_cache(maxsize=512)
def _build(fence_json: str) -> MetricFence:
    rings = json.loads(fence_json)["coordinates"]
    outer = Polygon(rings[0])
    centre = outer.centroid
    projection = LocalProjection(centre.x, centre.y)
    metric = [[projection.to_metres(lon, lat) for lon, lat, *_ in ring] for ring in rings]
    shape = Polygon(metric[0], metric[1:])
    shapely.prepare(shape)
    return MetricFence(projection, shape)
