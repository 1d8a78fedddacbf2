"""The first plan of a work order's operations: durations, order of steps, the first free machine."""

from datetime import datetime, timedelta
from decimal import Decimal

from domain.production.planning import Step, duration, next_slot, plan

MOLD = Step(1, "Injection molding", workshop_id=1, setup_minutes=60, seconds_per_unit=Decimal("36"))
ASSEMBLE = Step(2, "Assembly", workshop_id=2, setup_minutes=30, seconds_per_unit=Decimal("12"))
NOW = datetime(2026, 11, 25, 9, 7, 31)


def test_duration_is_setup_plus_cycle_time_rounded_up_to_a_minute():
    assert duration(MOLD, Decimal(1000)) == timedelta(minutes=660)
    assert duration(ASSEMBLE, Decimal("2.5")) == timedelta(minutes=31)


def test_plans_start_on_the_next_quarter_hour():
    assert next_slot(NOW) == datetime(2026, 11, 25, 9, 15)
    assert next_slot(datetime(2026, 11, 25, 9, 45)) == datetime(2026, 11, 25, 9, 45)


def test_steps_run_one_after_the_other_in_routing_order():
    first, second = plan([ASSEMBLE, MOLD], Decimal(100), NOW, {})
    assert (first.seq, second.seq) == (1, 2)
    assert second.start == first.end
    assert first.machine_id is None and second.machine_id is None


def test_the_machine_free_first_is_taken_and_a_busy_one_delays_the_step():
    busy_until = datetime(2026, 11, 25, 12, 0)
    free = {1: [(10, busy_until), (11, datetime(2026, 11, 25, 10, 0))], 2: [(20, busy_until)]}
    mold, assemble = plan([MOLD, ASSEMBLE], Decimal(100), NOW, free)
    assert (mold.machine_id, mold.start) == (11, datetime(2026, 11, 25, 10, 0))
    assert assemble.machine_id == 20 and assemble.start == max(busy_until, mold.end)


def test_an_idle_machine_starts_at_the_earliest_slot():
    (mold,) = plan([MOLD], Decimal(10), NOW, {1: [(10, None)]})
    assert (mold.machine_id, mold.start) == (10, datetime(2026, 11, 25, 9, 15))
