"""OHDI (DESIGN §9) from a month's recorded facts, checked against values computed by hand."""

from datetime import datetime

import pytest

from domain.kpi import ohdi


def before_state_month() -> ohdi.MonthFacts:
    """The case study's plant before the project: 58 % on time, change response 17 h on average.
    50 orders shipped, 29 on time; 200 first inspections, 170 passed (85 %); 4 changes taking
    10 h, 14 h, 20 h and 24 h (mean 17 h); 25 ratings averaging 4.04."""
    return ohdi.MonthFacts(
        "2025-03",
        shipped=50,
        shipped_on_time=29,
        inspected=200,
        passed_first_time=170,
        changes_completed=4,
        change_seconds_total=(10 + 14 + 20 + 24) * 3600,
        ratings=25,
        rating_total=101,
    )


def test_ohdi_of_the_before_state_matches_the_hand_computed_value():
    result = ohdi.compute(before_state_month())
    # 0.58×0.4 + 0.85×0.3 + (4/17)×0.2 + ((4.04−1)/4)×0.1
    # = 0.232 + 0.255 + 0.0470588 + 0.076 = 0.6100588 — the seed's "OHDI 0.61 before"
    assert result.on_time_rate == pytest.approx(0.58)
    assert result.first_pass_yield == pytest.approx(0.85)
    assert result.change_response_hours == pytest.approx(17.0)
    assert result.change_response_score == pytest.approx(4 / 17)
    assert result.mean_rating == pytest.approx(4.04)
    assert result.rating_score == pytest.approx(0.76)
    assert result.value == pytest.approx(0.6100588, abs=1e-6)


def test_change_response_at_or_under_four_hours_scores_full():
    assert ohdi.change_response_score(4.0) == 1.0
    assert ohdi.change_response_score(2.5) == 1.0
    assert ohdi.change_response_score(4.2) == pytest.approx(4 / 4.2)


def test_rating_score_maps_one_to_zero_and_five_to_one():
    assert ohdi.rating_score(1) == 0.0
    assert ohdi.rating_score(5) == 1.0
    assert ohdi.rating_score(3) == 0.5


def test_a_term_without_records_is_none_and_so_is_the_index():
    facts = ohdi.MonthFacts(
        "2025-04", shipped=10, shipped_on_time=9, changes_completed=1, change_seconds_total=3600, ratings=None
    )
    result = ohdi.compute(facts)
    assert result.on_time_rate == pytest.approx(0.9)
    assert result.change_response_score == 1.0
    assert result.first_pass_yield is None
    assert result.rating_score is None
    assert result.value is None


def test_a_month_with_no_shipments_has_no_on_time_rate():
    assert ohdi.compute(ohdi.MonthFacts("2025-05")).on_time_rate is None


def test_trend_is_the_change_from_the_month_before():
    good = ohdi.MonthFacts("2025-06", 10, 10, 10, 10, 1, 3600, 1, 5)
    months = [
        ohdi.compute(before_state_month()),
        ohdi.compute(good),
        ohdi.compute(ohdi.MonthFacts("2025-07")),
    ]
    assert ohdi.compute(good).value == pytest.approx(1.0)
    trend = ohdi.trend(months)
    assert trend[0] is None
    assert trend[1] == pytest.approx(1.0 - 0.6100588, abs=1e-6)
    assert trend[2] is None


NOVEMBER = {"2026-11": (datetime(2026, 10, 31, 16), datetime(2026, 11, 30, 16))}


def test_a_change_still_open_at_month_end_counts_from_its_issue_time():
    # one notice answered in 2 h, one issued 10 h before the month's end and never acknowledged
    notices = [(datetime(2026, 11, 30, 6), None), (datetime(2026, 11, 2), datetime(2026, 11, 2, 2))]
    still_open = ohdi.open_at_month_ends(notices, NOVEMBER, now=datetime(2026, 12, 7))
    assert still_open == {"2026-11": (1, 10 * 3600.0)}
    facts = ohdi.MonthFacts(
        "2026-11",
        changes_completed=1,
        change_seconds_total=2 * 3600,
        changes_open=1,
        open_seconds_total=10 * 3600,
    )
    result = ohdi.compute(facts)
    assert result.change_response_hours == pytest.approx(6.0)
    assert result.change_response_score == pytest.approx(4 / 6)


def test_ignoring_a_notice_never_scores_better_than_answering_it_late():
    issued = datetime(2026, 11, 29)
    ignored = ohdi.open_at_month_ends([(issued, None)], NOVEMBER, now=datetime(2026, 12, 7))
    count, seconds = ignored["2026-11"]
    answered_late = ohdi.MonthFacts("2026-11", changes_completed=1, change_seconds_total=40 * 3600)
    left_open = ohdi.MonthFacts("2026-11", changes_open=count, open_seconds_total=seconds)
    assert ohdi.compute(left_open).change_response_score <= ohdi.compute(answered_late).change_response_score


def test_the_running_month_counts_an_open_change_until_now():
    running = {"2026-12": (datetime(2026, 11, 30, 16), datetime(2026, 12, 31, 16))}
    still_open = ohdi.open_at_month_ends(
        [(datetime(2026, 12, 6, 20), None)], running, now=datetime(2026, 12, 7, 2)
    )
    assert still_open == {"2026-12": (1, 6 * 3600.0)}


def test_a_change_answered_after_the_month_end_counts_open_in_that_month_only():
    notices = [(datetime(2026, 11, 30, 10), datetime(2026, 12, 1, 1))]
    months = {**NOVEMBER, "2026-12": (datetime(2026, 11, 30, 16), datetime(2026, 12, 31, 16))}
    assert ohdi.open_at_month_ends(notices, months, now=datetime(2026, 12, 7)) == {"2026-11": (1, 6 * 3600.0)}
