"""A warehouse fence from GeoJSON: parse, refuse what cannot be a real warehouse, normalise for storage."""

import json
import math
from typing import Any

from flask_babel import gettext as _
from shapely.geometry import MultiPoint, Polygon
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

from geofence.errors import FenceRefused

MAX_ACROSS_M = 50_000  # a warehouse yard wider than this is a typo (a swapped or mistyped coordinate)
DECIMALS = 7  # ~1 cm at the equator: finer digits are GPS noise, and rounding keeps the stored JSON small
EARTH_RADIUS_M = 6_371_008.8

Ring = list[tuple[float, float]]


def parse_fence(
    source: str | bytes | dict[str, Any], *, max_across_m: float = MAX_ACROSS_M
) -> dict[str, Any]:
    """GeoJSON text or dict (a Polygon, a Feature with one, or a FeatureCollection of exactly one) →
    the normalised Polygon dict to store in Warehouse.fence; any problem is a FenceRefused naming it."""
    geometry = _polygon_geometry(_load(source))
    rings = [_ring(raw, index) for index, raw in enumerate(_rings(geometry))]
    polygon = Polygon(rings[0], rings[1:])
    _check_shape(polygon, max_across_m)
    return to_geojson(orient(polygon, sign=1.0))  # RFC 7946: outer ring counter-clockwise


def to_geojson(polygon: Polygon) -> dict[str, Any]:
    rings = [polygon.exterior, *polygon.interiors]
    return {"type": "Polygon", "coordinates": [[[x, y] for x, y in ring.coords] for ring in rings]}


def fence_feature(fence: dict[str, Any] | None, properties: dict[str, Any]) -> dict[str, Any]:
    """The stored fence as a GeoJSON Feature (what a map tool or geojson.io opens)."""
    return {"type": "Feature", "geometry": fence, "properties": properties}


def across_m(polygon: Polygon) -> float:
    """The largest distance between two corners of the polygon, in metres (local flat-earth projection,
    accurate to well under 1% at warehouse scale)."""
    lat0 = math.radians(polygon.centroid.y)
    hull = [
        (math.radians(x) * math.cos(lat0) * EARTH_RADIUS_M, math.radians(y) * EARTH_RADIUS_M)
        for x, y in MultiPoint(list(polygon.exterior.coords)).convex_hull.exterior.coords
    ]
    return max(math.dist(a, b) for a in hull for b in hull)


def _refuse(code: str, message: str) -> FenceRefused:
    return FenceRefused(code, message, {"fence": message})


def _load(source: str | bytes | dict[str, Any]) -> Any:
    if isinstance(source, dict):
        return source
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _refuse("fence_invalid_json", _("The fence file is not UTF-8 text.")) from error
    if not source or not source.strip():
        raise _refuse("fence_empty", _("The fence is empty: paste or upload a GeoJSON polygon."))
    try:
        return json.loads(source)
    except ValueError as error:
        raise _refuse(
            "fence_invalid_json",
            _(
                "The fence is not valid JSON (line %(line)s): %(problem)s",
                line=error.lineno,
                problem=error.msg,
            ),
        ) from error


def _polygon_geometry(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _refuse("fence_not_polygon", _("The fence must be a GeoJSON object with a Polygon."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise _refuse(
                "fence_not_polygon",
                _(
                    "The FeatureCollection holds %(count)s features; a fence is exactly one.",
                    count=len(features),
                ),
            )
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    kind = data.get("type") if isinstance(data, dict) else None
    if kind != "Polygon":
        raise _refuse(
            "fence_not_polygon",
            _("The fence must be a GeoJSON Polygon, not %(kind)s.", kind=kind or _("nothing")),
        )
    return data


def _rings(geometry: dict[str, Any]) -> list[Any]:
    rings = geometry.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise _refuse("fence_empty", _("The polygon has no coordinates."))
    return rings


def _ring(raw: Any, index: int) -> Ring:
    name = _("outer ring") if index == 0 else _("hole %(n)s", n=index)
    if not isinstance(raw, list) or not raw:
        raise _refuse("fence_empty", _("The %(ring)s has no points.", ring=name))
    ring = [_position(point, name) for point in raw]
    if ring[0] != ring[-1]:
        raise _refuse(
            "fence_ring_not_closed",
            _("The %(ring)s is not closed: its last point must repeat its first.", ring=name),
        )
    if len(set(ring)) < 3:
        raise _refuse(
            "fence_too_few_points",
            _(
                "The %(ring)s has %(count)s distinct points; a fence needs at least 3.",
                ring=name,
                count=len(set(ring)),
            ),
        )
    return ring


def _position(point: Any, ring: str) -> tuple[float, float]:
    if (
        not isinstance(point, list | tuple)
        or len(point) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
        or not all(math.isfinite(v) for v in point[:2])
    ):
        raise _refuse(
            "fence_bad_position",
            _(
                "A point of the %(ring)s is not a [longitude, latitude] pair of numbers: %(point)s.",
                ring=ring,
                point=json.dumps(point)[:60],
            ),
        )
    lon, lat = round(float(point[0]), DECIMALS), round(float(point[1]), DECIMALS)
    if not -180 <= lon <= 180:
        raise _refuse("fence_out_of_range", _("Longitude %(lon)s is outside -180..180.", lon=lon))
    if not -90 <= lat <= 90:
        raise _refuse(
            "fence_out_of_range",
            _("Latitude %(lat)s is outside -90..90 (GeoJSON lists longitude first: [lon, lat]).", lat=lat),
        )
    return lon, lat


def _check_shape(polygon: Polygon, max_across_m: float) -> None:
    if polygon.is_empty:
        raise _refuse("fence_empty", _("The polygon is empty."))
    # Points on one line: GEOS calls that a self-intersection, but the user's mistake is a flat shape.
    if MultiPoint(list(polygon.exterior.coords)).convex_hull.area <= 0:
        raise _refuse("fence_zero_area", _("The polygon has no area: its points lie on one line."))
    if not polygon.is_valid:
        reason = explain_validity(polygon)
        if reason.startswith(("Self-intersection", "Ring Self-intersection")):
            raise _refuse(
                "fence_self_intersection",
                _("The polygon's edges cross each other (near %(where)s).", where=_where(reason)),
            )
        raise _refuse("fence_invalid", _("The polygon is not valid: %(reason)s.", reason=reason))
    if polygon.area <= 0:
        raise _refuse("fence_zero_area", _("The polygon has no area."))
    if (size := across_m(polygon)) > max_across_m:
        raise _refuse(
            "fence_too_large",
            _(
                "The polygon is %(km).1f km across; a warehouse fence is at most %(max).0f km.",
                km=size / 1000,
                max=max_across_m / 1000,
            ),
        )


def _where(reason: str) -> str:
    """'Self-intersection[113.75 23.02]' → '113.75, 23.02'."""
    inside = reason[reason.find("[") + 1 : reason.rfind("]")]
    return ", ".join(inside.split()) or reason
