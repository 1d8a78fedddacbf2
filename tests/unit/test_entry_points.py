"""The points rule of DESIGN §10 on weekly tallies: two error-free weeks earn points."""

from datetime import date, timedelta

from domain.adoption.points import POINTS_PER_AWARD, WeekTally, judge, total_points, week_start

TODAY = date(2026, 11, 25)  # a Wednesday
THIS_WEEK = date(2026, 11, 23)


def weeks(*tallies: tuple[int, int, int]) -> list[WeekTally]:
    """(submissions, refused, corrections) for consecutive weeks ending last week."""
    first = THIS_WEEK - timedelta(weeks=len(tallies))
    return [WeekTally(first + timedelta(weeks=i), *t) for i, t in enumerate(tallies)]


def test_week_starts_on_monday():
    assert week_start(TODAY) == THIS_WEEK and week_start(THIS_WEEK) == THIS_WEEK


def test_two_error_free_weeks_earn_points():
    results = judge(weeks((3, 0, 0), (2, 0, 0)), TODAY)
    assert [r.points for r in results] == [0, POINTS_PER_AWARD]


def test_every_second_week_of_a_run_earns_again():
    assert total_points(judge(weeks(*[(1, 0, 0)] * 5), TODAY)) == 2 * POINTS_PER_AWARD


def test_a_refused_submission_ends_the_run():
    assert total_points(judge(weeks((1, 0, 0), (2, 1, 0), (1, 0, 0)), TODAY)) == 0


def test_a_correction_after_submission_is_an_error_too():
    assert total_points(judge(weeks((1, 0, 0), (1, 0, 1), (1, 0, 0), (1, 0, 0)), TODAY)) == POINTS_PER_AWARD


def test_a_week_without_entries_neither_counts_nor_breaks_the_run():
    results = judge(weeks((1, 0, 0), (0, 0, 0), (1, 0, 0)), TODAY)
    assert [r.points for r in results] == [0, 0, POINTS_PER_AWARD]


def test_the_current_week_is_not_judged_yet():
    tallies = [*weeks((1, 0, 0)), WeekTally(THIS_WEEK, 4, 0, 0)]
    results = judge(tallies, TODAY)
    assert [r.finished for r in results] == [True, False] and total_points(results) == 0
