"""Service ticket rules on plain values: warranty from the ship date, the state machine, the age
buckets of the analytics, the nearest-point ranking, and photo checks."""

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import DomainError
from domain.service import states
from domain.service.analytics import bucket_label, summarise
from domain.service.nearest import PointStock, distance_km, rank_points
from domain.service.photos import check_photo
from domain.service.serials import serial_from_scan
from domain.service.warranty import EXPIRED, IN_WARRANTY, UNKNOWN, add_months, age_months, warranty_status


def test_warranty_covers_up_to_the_day_before_the_same_date_months_later():
    shipped = date(2026, 3, 15)
    assert warranty_status(shipped, 12, date(2027, 3, 14)) == warranty_status(shipped, 12, date(2027, 3, 14))
    last_day = warranty_status(shipped, 12, date(2027, 3, 14))
    assert (last_day.status, last_day.until, last_day.days_left) == (IN_WARRANTY, date(2027, 3, 14), 0)
    next_day = warranty_status(shipped, 12, date(2027, 3, 15))
    assert (next_day.status, next_day.days_left) == (EXPIRED, -1)


def test_warranty_of_a_month_end_shipment_ends_at_the_short_months_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert warranty_status(date(2025, 8, 31), 6, date(2026, 2, 27)).until == date(2026, 2, 27)


def test_warranty_is_unknown_without_a_ship_date():
    assert warranty_status(None, 12, date(2026, 1, 1)).status == UNKNOWN


def test_longer_warranty_months_per_product_count():
    assert warranty_status(date(2024, 6, 1), 36, date(2026, 6, 1)).status == IN_WARRANTY
    assert warranty_status(date(2024, 6, 1), 12, date(2026, 6, 1)).status == EXPIRED


@pytest.mark.parametrize(
    ("current", "target"),
    [("open", "assigned"), ("assigned", "on_site"), ("on_site", "resolved"), ("resolved", "closed")],
)
def test_each_state_moves_to_the_next(current, target):
    states.check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("open", "on_site"),
        ("assigned", "resolved"),
        ("open", "closed"),
        ("closed", "open"),
        ("resolved", "on_site"),
    ],
)
def test_skipping_or_going_back_is_a_409(current, target):
    with pytest.raises(DomainError) as refused:
        states.check_transition(current, target)
    assert (refused.value.code, refused.value.status) == ("illegal_transition", 409)


def test_rating_must_be_1_to_5():
    assert states.check_rating(1) == 1 and states.check_rating(5) == 5
    for bad in (0, 6, None):
        with pytest.raises(DomainError):
            states.check_rating(bad)


def test_age_since_shipment_in_whole_months_and_buckets():
    assert age_months(date(2026, 1, 15), date(2026, 4, 14)) == 2
    assert age_months(date(2026, 1, 15), date(2026, 4, 15)) == 3
    assert [bucket_label(m) for m in (0, 2, 3, 11, 12, 30, None)] == [
        "0-3",
        "0-3",
        "3-6",
        "6-12",
        "12-24",
        "24+",
        "unknown",
    ]


def test_models_with_many_times_the_mean_rate_are_clusters():
    counts = {"A": {"0-3": 30}, "B": {"0-3": 5}, "C": {"12-24": 5}}
    table = summarise(counts, {}, {"A": 100, "B": 100, "C": 100})
    assert (table.models[0].model, table.models[0].cluster) == ("A", True)
    assert {m.model for m in table.models if m.cluster} == {"A"}
    assert table.models[0].rate == pytest.approx(0.3) and table.models[0].early == 30


def test_without_shipments_a_model_with_twice_its_fair_share_is_a_cluster():
    table = summarise({"A": {"0-3": 20}, "B": {"0-3": 2}, "C": {"0-3": 2}, "D": {"0-3": 2}}, {}, {})
    assert [m.model for m in table.models if m.cluster] == ["A"]
    assert table.models[0].rate is None


def test_points_holding_a_part_rank_before_nearer_points_without():
    empty_near = PointStock("N", "", "", 2.0, {"P": Decimal(0)}, 0)
    holding_far = PointStock("F", "", "", 60.0, {"P": Decimal(3)}, 1)
    holding_mid = PointStock("M", "", "", 17.0, {"P": Decimal(1)}, 1)
    assert [p.code for p in rank_points([empty_near, holding_far, holding_mid])] == ["M", "F", "N"]


def test_distance_between_dongguan_and_guangzhou_service_points():
    # 长安 (22.829, 113.812) to 番禺 (23.011, 113.315): about 54.6 km
    assert distance_km(22.8290, 113.8120, 23.0110, 113.3150) == pytest.approx(54.6, abs=0.5)


def test_a_scanned_serial_label_and_a_typed_serial_read_the_same():
    assert serial_from_scan("https://oh.example.cn/s/sn/SN%2F001?x=1") == "SN/001"
    assert serial_from_scan("  SN001 ") == "SN001"


def test_photos_are_checked_by_their_bytes():
    assert check_photo(b"\xff\xd8\xff\xe0" + b"\0" * 10) == ("image/jpeg", ".jpg")
    assert check_photo(b"RIFF\0\0\0\0WEBPVP8 ")[0] == "image/webp"
    for data, code in (
        (b"", "photo_empty"),
        (b"GIF89a....", "photo_type"),
        (b"\xff\xd8\xff" * 10, "photo_too_large"),
    ):
        with pytest.raises(DomainError) as refused:
            check_photo(data, max_bytes=20)
        assert refused.value.code == code
