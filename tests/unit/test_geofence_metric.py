"""Lon/lat → metres (geofence/metric.py) checked against Vincenty's geodesic on WGS 84 in Dongguan."""

import math

import pytest

from geofence.metric import LocalProjection, distance_m, metres_per_degree

DONGGUAN = (113.7518, 23.0205)  # Nancheng, near the city government


def vincenty_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Vincenty's inverse formula on the WGS 84 ellipsoid: the textbook reference, accurate to 0.1 mm."""
    a, f = 6_378_137.0, 1 / 298.257223563
    b = (1 - f) * a
    big_l = math.radians(lon2 - lon1)
    u1, u2 = (math.atan((1 - f) * math.tan(math.radians(x))) for x in (lat1, lat2))
    lam = big_l
    for _ in range(200):
        sin_sigma = math.hypot(
            math.cos(u2) * math.sin(lam),
            math.cos(u1) * math.sin(u2) - math.sin(u1) * math.cos(u2) * math.cos(lam),
        )
        cos_sigma = math.sin(u1) * math.sin(u2) + math.cos(u1) * math.cos(u2) * math.cos(lam)
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = math.cos(u1) * math.cos(u2) * math.sin(lam) / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * math.sin(u1) * math.sin(u2) / cos2_alpha
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - previous) < 1e-12:
            break
    u_sq = cos2_alpha * (a**2 - b**2) / b**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = (
        big_b
        * sin_sigma
        * (
            cos_2sm
            + big_b
            / 4
            * (
                cos_sigma * (-1 + 2 * cos_2sm**2)
                - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return b * big_a * (sigma - delta)


@pytest.mark.parametrize(
    ("east_deg", "north_deg"),
    [(0.02, 0.0), (0.0, 0.018), (0.014, 0.013), (-0.017, 0.009), (0.001, -0.0005)],
)
def test_projected_distance_matches_the_geodesic_within_half_a_metre_over_two_km(east_deg, north_deg):
    lon0, lat0 = DONGGUAN
    projection = LocalProjection(lon0, lat0)
    x, y = projection.to_metres(lon0 + east_deg, lat0 + north_deg)
    assert math.hypot(x, y) == pytest.approx(
        vincenty_m(lon0, lat0, lon0 + east_deg, lat0 + north_deg), abs=0.5
    )


def test_distance_between_two_fixes_matches_the_geodesic_to_a_centimetre_at_warehouse_scale():
    lon, lat = DONGGUAN
    assert distance_m(lon, lat, lon + 0.0007, lat + 0.0004) == pytest.approx(
        vincenty_m(lon, lat, lon + 0.0007, lat + 0.0004), abs=0.01
    )


def test_a_degree_at_dongguan_has_the_lengths_of_the_standard_series():
    per_lon, per_lat = metres_per_degree(23.0205)
    phi = math.radians(23.0205)
    series_lon = 111412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi) + 0.118 * math.cos(5 * phi)
    series_lat = (
        111132.92 - 559.82 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi) - 0.0023 * math.cos(6 * phi)
    )
    assert (per_lon, per_lat) == (pytest.approx(series_lon, abs=0.05), pytest.approx(series_lat, abs=0.05))
