"""Warehouse fence validation (geofence/fences.py), without an app: a plant yard in Dongguan."""

import json
from itertools import pairwise

import pytest

from geofence.errors import FenceRefused
from geofence.fences import across_m, fence_feature, parse_fence

# A yard of about 200 m × 110 m near lon 113.75, lat 23.02, listed clockwise.
YARD = [[113.75, 23.02], [113.75, 23.021], [113.752, 23.021], [113.752, 23.02], [113.75, 23.02]]


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(r) for r in rings]}


def refusal(source) -> FenceRefused:
    with pytest.raises(FenceRefused) as caught:
        parse_fence(source)
    assert caught.value.fields["fence"] == caught.value.message
    return caught.value


def test_valid_polygon_is_returned_as_geojson_polygon():
    fence = parse_fence(polygon(YARD))
    assert fence["type"] == "Polygon"
    assert len(fence["coordinates"]) == 1
    assert {tuple(p) for p in fence["coordinates"][0]} == {tuple(p) for p in YARD}


def test_outer_ring_is_normalised_to_counter_clockwise():
    ring = parse_fence(polygon(YARD))["coordinates"][0]
    signed_area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring))
    assert signed_area > 0


def test_normalising_twice_changes_nothing():
    once = parse_fence(polygon(YARD))
    assert parse_fence(once) == once


def test_feature_wrapping_a_polygon_is_accepted():
    feature = {"type": "Feature", "properties": {"name": "A"}, "geometry": polygon(YARD)}
    assert parse_fence(feature) == parse_fence(polygon(YARD))


def test_feature_collection_of_one_feature_is_accepted():
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": polygon(YARD)}]}
    assert parse_fence(collection)["type"] == "Polygon"


def test_json_text_and_bytes_with_bom_are_accepted():
    text = json.dumps(polygon(YARD))
    assert parse_fence(text) == parse_fence(("\ufeff" + text).encode())


def test_altitude_is_dropped_and_coordinates_rounded_to_seven_decimals():
    ring = [[x + 0.000000001, y, 12.5] for x, y in YARD]
    ring[-1] = ring[0]
    fence = parse_fence(polygon(ring))
    assert all(len(p) == 2 for p in fence["coordinates"][0])
    assert {tuple(p) for p in fence["coordinates"][0]} == {tuple(p) for p in YARD}


def test_hole_inside_the_yard_is_kept():
    hole = [
        [113.7505, 23.0202],
        [113.7507, 23.0202],
        [113.7507, 23.0204],
        [113.7505, 23.0204],
        [113.7505, 23.0202],
    ]
    assert len(parse_fence(polygon(YARD, hole))["coordinates"]) == 2


def test_invalid_json_text_is_refused():
    assert refusal('{"type": "Polygon", ').code == "fence_invalid_json"


def test_blank_text_is_refused_as_empty():
    assert refusal("  \n").code == "fence_empty"


def test_point_geometry_is_refused_as_not_a_polygon():
    error = refusal({"type": "Point", "coordinates": [113.75, 23.02]})
    assert error.code == "fence_not_polygon"
    assert "Point" in error.message


def test_multipolygon_is_refused_as_not_a_polygon():
    assert refusal({"type": "MultiPolygon", "coordinates": [[YARD]]}).code == "fence_not_polygon"


def test_feature_collection_of_two_features_is_refused():
    feature = {"type": "Feature", "geometry": polygon(YARD)}
    error = refusal({"type": "FeatureCollection", "features": [feature, feature]})
    assert error.code == "fence_not_polygon"


def test_polygon_without_coordinates_is_refused_as_empty():
    assert refusal({"type": "Polygon", "coordinates": []}).code == "fence_empty"


def test_ring_without_points_is_refused_as_empty():
    assert refusal({"type": "Polygon", "coordinates": [[]]}).code == "fence_empty"


def test_open_ring_is_refused():
    error = refusal(polygon(YARD[:-1]))
    assert error.code == "fence_ring_not_closed"
    assert "outer ring" in error.message


def test_ring_with_two_distinct_points_is_refused():
    ring = [[113.75, 23.02], [113.751, 23.021], [113.75, 23.02], [113.751, 23.021], [113.75, 23.02]]
    assert refusal(polygon(ring)).code == "fence_too_few_points"


def test_non_numeric_position_is_refused():
    ring = [[113.75, 23.02], ["113.75", 23.021], [113.752, 23.021], [113.75, 23.02]]
    assert refusal(polygon(ring)).code == "fence_bad_position"


def test_longitude_out_of_range_is_refused():
    ring = [[193.75, 23.02], [113.75, 23.021], [113.752, 23.021], [193.75, 23.02]]
    error = refusal(polygon(ring))
    assert error.code == "fence_out_of_range"
    assert "193.75" in error.message


def test_swapped_latitude_is_refused_with_a_hint_about_order():
    ring = [[y, x] for x, y in YARD]
    error = refusal(polygon(ring))
    assert error.code == "fence_out_of_range"
    assert "[lon, lat]" in error.message


def test_points_on_one_line_are_refused_for_zero_area():
    ring = [[113.75, 23.02], [113.751, 23.02], [113.752, 23.02], [113.75, 23.02]]
    assert refusal(polygon(ring)).code == "fence_zero_area"


def test_bow_tie_is_refused_for_self_intersection():
    ring = [[113.75, 23.02], [113.752, 23.021], [113.752, 23.02], [113.75, 23.021], [113.75, 23.02]]
    error = refusal(polygon(ring))
    assert error.code == "fence_self_intersection"
    assert "113.751" in error.message


def test_hole_outside_the_yard_is_refused_as_invalid():
    hole = [[113.76, 23.03], [113.761, 23.03], [113.761, 23.031], [113.76, 23.03]]
    assert refusal(polygon(YARD, hole)).code == "fence_invalid"


def test_polygon_wider_than_fifty_km_is_refused():
    ring = [[113.5, 23.0], [114.1, 23.0], [114.1, 23.1], [113.5, 23.0]]
    error = refusal(polygon(ring))
    assert error.code == "fence_too_large"
    assert "km" in error.message


def test_size_limit_can_be_raised_by_the_caller():
    ring = [[113.5, 23.0], [114.1, 23.0], [114.1, 23.1], [113.5, 23.0]]
    assert parse_fence(polygon(ring), max_across_m=100_000)["type"] == "Polygon"


def test_across_measures_the_diagonal_in_metres():
    from shapely.geometry import shape

    size = across_m(shape(polygon(YARD)))
    # 0.002° of longitude at 23° N ≈ 204.8 m, 0.001° of latitude ≈ 111.2 m → diagonal ≈ 233 m.
    assert 230 < size < 236


def test_fence_feature_wraps_the_polygon_with_properties():
    fence = parse_fence(polygon(YARD))
    feature = fence_feature(fence, {"code": "WH1", "name": "原料仓"})
    assert feature == {"type": "Feature", "geometry": fence, "properties": {"code": "WH1", "name": "原料仓"}}
