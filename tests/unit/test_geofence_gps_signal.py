"""GPS signal flags (geofence/gps_signal.py): impossible speed and suspiciously constant accuracy."""

from datetime import datetime, timedelta

from geofence.gps_signal import CONSTANT_ACCURACY, IMPOSSIBLE_SPEED, Fix, signal_flags

T0 = datetime(2026, 11, 25, 8, 0, 0)
YARD = (113.7510, 23.0207)  # Dongguan
PER_DEGREE_LON = 102_470.0  # metres per degree of longitude at lat 23.02


def fix(east_m: float = 0.0, seconds: float = 0.0, accuracy: float = 8.0) -> Fix:
    return Fix(YARD[0] + east_m / PER_DEGREE_LON, YARD[1], accuracy, T0 + timedelta(seconds=seconds))


def test_walking_across_the_yard_raises_no_flag():
    assert signal_flags(fix(40, seconds=30, accuracy=7.5), [fix(0, accuracy=9.1)]) == []


def test_a_jump_of_a_kilometre_in_two_seconds_is_impossible_speed():
    assert signal_flags(fix(1000, seconds=2, accuracy=6.2), [fix(0, accuracy=8.4)]) == [IMPOSSIBLE_SPEED]


def test_jitter_within_both_fixes_accuracy_is_not_speed():
    assert signal_flags(fix(55, seconds=1, accuracy=30), [fix(0, accuracy=30.5)]) == []


def test_a_truck_at_motorway_speed_is_not_flagged():
    assert signal_flags(fix(3300, seconds=120, accuracy=5.3), [fix(0, accuracy=4.9)]) == []


def test_five_fixes_with_the_very_same_accuracy_are_flagged():
    earlier = [fix(i, seconds=-60 * i, accuracy=5.0) for i in range(1, 5)]
    assert signal_flags(fix(0, accuracy=5.0), earlier) == [CONSTANT_ACCURACY]


def test_four_equal_accuracies_are_not_yet_a_pattern():
    earlier = [fix(i, seconds=-60 * i, accuracy=5.0) for i in range(1, 4)]
    assert signal_flags(fix(0, accuracy=5.0), earlier) == []


def test_accuracy_that_varies_as_real_phones_report_is_not_flagged():
    earlier = [fix(i, seconds=-60 * i, accuracy=a) for i, a in enumerate([12.3, 9.8, 15.0, 11.2], start=1)]
    assert signal_flags(fix(0, accuracy=10.4), earlier) == []


def test_first_fix_of_a_user_raises_no_flag():
    assert signal_flags(fix(0), []) == []
