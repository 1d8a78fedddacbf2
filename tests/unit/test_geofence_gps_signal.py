"""GPS signal flags (geofence/gps_signal.py): impossible speed and suspiciously constant accuracy."""

from datetime import datetime, timedelta

from geofence.gps_signal import (
    CONSTANT_ACCURACY,
    FIX_FROM_FUTURE,
    FIX_STALE,
    IMPOSSIBLE_SPEED,
    MAX_FIX_AGE,
    NO_ACCURACY,
    SENT_LATE,
    Fix,
    fix_flags,
    fix_time_refusal,
    signal_flags,
)

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


def test_a_fix_taken_a_day_before_the_confirm_is_stale():
    assert fix_time_refusal(T0 - timedelta(days=1), None, T0) == FIX_STALE


def test_a_fix_dated_in_2030_is_from_the_future():
    assert fix_time_refusal(datetime(2030, 1, 1), None, T0) == FIX_FROM_FUTURE


def test_a_confirmation_dated_in_the_future_is_refused_too():
    assert fix_time_refusal(T0, T0 + timedelta(hours=1), T0) == FIX_FROM_FUTURE


def test_a_phone_clock_a_few_seconds_ahead_is_still_now():
    assert fix_time_refusal(T0 + timedelta(seconds=10), None, T0) is None


def test_a_fix_just_under_the_age_limit_is_usable():
    assert fix_time_refusal(T0 - MAX_FIX_AGE + timedelta(seconds=1), None, T0) is None


def test_a_scan_queued_offline_is_aged_at_its_confirmation():
    confirmed = T0 - timedelta(hours=3)
    assert fix_time_refusal(confirmed - timedelta(seconds=20), confirmed, T0) is None
    assert fix_flags(8.0, confirmed, T0, MAX_FIX_AGE) == [SENT_LATE]


def test_accuracy_zero_or_missing_is_flagged():
    assert fix_flags(0.0, None, T0, MAX_FIX_AGE) == [NO_ACCURACY]
    assert fix_flags(None, None, T0, MAX_FIX_AGE) == [NO_ACCURACY]
    assert fix_flags(7.5, T0, T0, MAX_FIX_AGE) == []
