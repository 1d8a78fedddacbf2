"""The DESIGN §6 accept rule (geofence/decision.py) on real Dongguan coordinates, without an app."""

import math

import pytest

from geofence.decision import decide, require_on_site
from geofence.errors import FenceRefused
from geofence.prepared import metric_fence

LAT = 22.8160  # Chang'an town, Dongguan


def metres_per_degree_series(lat: float) -> tuple[float, float]:
    """The standard series for a degree's length on WGS 84 (independent of geofence.metric)."""
    phi = math.radians(lat)
    per_lon = 111412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi) + 0.118 * math.cos(5 * phi)
    per_lat = 111132.92 - 559.82 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
    return per_lon, per_lat


PER_LON, PER_LAT = metres_per_degree_series(LAT)
WEST, EAST = 113.8030, 113.8050  # ~205 m apart
SOUTH, NORTH = 22.8150, 22.8170  # ~221 m apart
YARD = {
    "type": "Polygon",
    "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]],
}
# The same yard with the office block in its middle (about 60 × 55 m) cut out as a hole.
HOLE = [
    [113.8037, 22.8158],
    [113.8037, 22.8163],
    [113.8043, 22.8163],
    [113.8043, 22.8158],
    [113.8037, 22.8158],
]
YARD_WITH_OFFICE = {"type": "Polygon", "coordinates": [YARD["coordinates"][0], HOLE]}


def east_of_yard(metres: float) -> tuple[float, float]:
    return EAST + metres / PER_LON, LAT


def test_fix_inside_the_yard_is_accepted():
    decision = decide(metric_fence(YARD), 113.8040, LAT, 8.0)
    assert (decision.accepted, decision.code, decision.distance_m) == (True, None, 0.0)


def test_fix_10_m_outside_with_15_m_accuracy_is_accepted():
    lon, lat = east_of_yard(10)
    decision = decide(metric_fence(YARD), lon, lat, 15.0)
    assert decision.accepted
    assert decision.distance_m == pytest.approx(10, abs=0.3)


def test_fix_10_m_outside_with_5_m_accuracy_is_refused_saying_how_far_outside():
    lon, lat = east_of_yard(10)
    with pytest.raises(FenceRefused) as refused:
        require_on_site(metric_fence(YARD), lon, lat, 5.0, "WH-CA 长安成品仓")
    assert refused.value.code == "outside_geofence"
    assert "10 m outside the fence of WH-CA 长安成品仓" in refused.value.message


def test_fix_with_80_m_accuracy_is_refused_even_inside_the_yard():
    with pytest.raises(FenceRefused) as refused:
        require_on_site(metric_fence(YARD), 113.8040, LAT, 80.0, "WH-CA")
    assert refused.value.code == "gps_inaccurate"
    assert "80 m" in refused.value.message


def test_accuracy_of_exactly_30_m_still_counts():
    lon, lat = east_of_yard(25)
    assert decide(metric_fence(YARD), lon, lat, 30.0).accepted


def test_fix_in_the_hole_of_the_polygon_is_outside_measured_to_the_hole_edge():
    centre_of_hole = (113.8040, 22.81605)
    decision = decide(metric_fence(YARD_WITH_OFFICE), *centre_of_hole, 5.0)
    assert (decision.accepted, decision.code) == (False, "outside_geofence")
    to_nearest_hole_edge = min(0.0003 * PER_LON, 0.00025 * PER_LAT)
    assert decision.distance_m == pytest.approx(to_nearest_hole_edge, abs=0.5)


def test_fix_between_the_hole_and_the_outer_edge_is_inside():
    assert decide(metric_fence(YARD_WITH_OFFICE), 113.8033, 22.8152, 5.0).accepted


def test_fix_near_the_hole_edge_is_accepted_within_its_accuracy():
    just_inside_the_hole = (113.8037 + 4 / PER_LON, 22.81605)
    assert decide(metric_fence(YARD_WITH_OFFICE), *just_inside_the_hole, 6.0).accepted


def test_fence_geometry_is_built_once_and_rebuilt_when_the_fence_changes():
    same = {"coordinates": YARD["coordinates"], "type": "Polygon"}
    assert metric_fence(YARD) is metric_fence(same)
    assert metric_fence(YARD_WITH_OFFICE) is not metric_fence(YARD)


def test_negative_accuracy_is_a_programming_error():
    with pytest.raises(ValueError):
        decide(metric_fence(YARD), 113.8040, LAT, -1.0)
