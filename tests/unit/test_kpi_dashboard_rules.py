"""Dashboard rules without a database: plant days, the delivery alarm, the heatmap's split by day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.kpi import countdown, heatmap, order_pool, periods

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_plant_today_is_tomorrow_in_shanghai_after_16_00_utc():
    assert periods.plant_today(SHANGHAI, datetime(2026, 3, 31, 16, 30)) == date(2026, 4, 1)
    assert periods.plant_today(SHANGHAI, datetime(2026, 3, 31, 15, 59)) == date(2026, 3, 31)


def test_a_plant_month_starts_at_local_midnight_in_utc():
    start, end = periods.month_bounds_utc("2026-12", SHANGHAI)
    assert start == datetime(2026, 11, 30, 16, 0)
    assert end == datetime(2026, 12, 31, 16, 0)


def test_last_months_cross_the_year_oldest_first():
    assert periods.last_months(date(2026, 2, 10), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def _order(due: date, passed: bool) -> countdown.CountdownOrder:
    return countdown.CountdownOrder(1, "SO-1", "客户", "M-1", due, "in_production", "A", passed)


@pytest.mark.parametrize(
    ("due", "passed", "alarm"),
    [
        (date(2026, 5, 13), False, True),  # 3 days left, no first article passed
        (date(2026, 5, 14), False, False),  # 4 days left
        (date(2026, 5, 13), True, False),  # first article passed
        (date(2026, 5, 1), False, True),  # late
        (date(2026, 5, 10), False, True),  # due today
    ],
)
def test_alarm_when_three_days_or_less_and_no_passed_first_article(due, passed, alarm):
    entry = countdown.entry(_order(due, passed), date(2026, 5, 10))
    assert entry.alarm is alarm
    assert (entry.tone == "alarm") is alarm


def test_late_order_with_passed_first_article_is_late_not_alarm():
    entry = countdown.entry(_order(date(2026, 5, 8), True), date(2026, 5, 10))
    assert entry.days_left == -2
    assert entry.tone == "late"


def test_an_operation_over_midnight_is_split_between_the_two_plant_days():
    workshops = [heatmap.WorkshopRow(1, "注塑车间", machines=2)]
    # 20:00 to 04:00 plant time on 10/11 May = 12:00 to 20:00 UTC on 10 May
    slot = heatmap.OperationSlot(1, datetime(2026, 5, 10, 12), datetime(2026, 5, 10, 20), "finished")
    result = heatmap.build([slot], workshops, date(2026, 5, 10), 2, SHANGHAI, hours_per_machine=20)
    first, second = result.cells[1]
    assert first.planned_hours == pytest.approx(4)
    assert second.planned_hours == pytest.approx(4)
    assert first.capacity_hours == 40
    assert first.load == pytest.approx(0.1)
    assert first.progress == pytest.approx(1.0)


def test_progress_weights_started_operations_by_their_good_quantity():
    workshops = [heatmap.WorkshopRow(1, "W", machines=1)]
    slots = [
        heatmap.OperationSlot(1, datetime(2026, 5, 10, 0), datetime(2026, 5, 10, 4), "started", 0.5),
        heatmap.OperationSlot(1, datetime(2026, 5, 10, 4), datetime(2026, 5, 10, 8), "pending"),
    ]
    cell = heatmap.build(slots, workshops, date(2026, 5, 10), 1, SHANGHAI, 24).cells[1][0]
    assert cell.planned_hours == pytest.approx(8)
    assert cell.progress == pytest.approx(0.25)


def test_an_empty_day_has_no_progress_rather_than_zero():
    cell = heatmap.build([], [heatmap.WorkshopRow(1, "W", 0)], date(2026, 5, 10), 1, SHANGHAI, 24).cells[1][0]
    assert cell.load == 0
    assert cell.progress is None


def test_order_pool_links_each_count_to_the_list_filter():
    pool = order_pool.shape({"quote": 2, "shipped": 5, "confirmed": 1}, {"A": 3}, [("C001", "甲", 3)], {})
    assert pool.open_total == 3
    assert next(c for c in pool.by_stage if c.key == "shipped").filters == {"stage": "shipped"}
    assert [c.count for c in pool.by_priority] == [3, 0, 0]
    assert pool.by_customer[0].filters == {"customer_code": "C001"}


def test_countdown_puts_alarms_first_then_the_fewest_days_left():
    today = date(2026, 5, 10)
    late_but_inspected = countdown.entry(_order(date(2026, 5, 5), True), today)
    alarm = countdown.entry(_order(date(2026, 5, 12), False), today)
    later = countdown.entry(_order(date(2026, 5, 20), False), today)
    assert countdown.most_urgent_first([later, late_but_inspected, alarm]) == [
        alarm,
        late_but_inspected,
        later,
    ]
