"""The scheduler (domain/scheduling/solver.py) on small plants whose best plan is known, and its
invariants on random plants: routing order, one operation at a time per machine, working time only,
and fixed operations never moving."""

from datetime import datetime, timedelta
from itertools import pairwise, permutations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.scheduling import dispatch, solver
from domain.scheduling.calendar import Calendar, TimeAxis
from domain.scheduling.problem import Changeovers, Fixed, Job, Op, Problem, Setup, score

WHITE, BLACK = Setup("M1", "白色"), Setup("M1", "黑色")


def one_machine(jobs: list[tuple[int, int, int]], setups=None, **kw) -> Problem:
    """(duration, due, weight) per job, one operation each, all on machine 1."""
    setups = setups or [Setup()] * len(jobs)
    return Problem(
        {i: Job(i, due, weight, **kw) for i, (_, due, weight) in enumerate(jobs, start=1)},
        [Op(i, i, 1, d, (1,), setups[i - 1]) for i, (d, _, _) in enumerate(jobs, start=1)],
    )


def brute_force_tardiness(jobs: list[tuple[int, int, int]]) -> int:
    best = None
    for order in permutations(range(len(jobs))):
        t, total = 0, 0
        for i in order:
            t += jobs[i][0]
            total += jobs[i][2] * max(0, t - jobs[i][1])
        best = total if best is None else min(best, total)
    return best


def test_when_every_order_can_be_on_time_the_plan_has_zero_tardiness():
    # Converted in this order, the queue rule makes the urgent ones late; due-date order is on time.
    problem = one_machine([(240, 960, 1), (120, 600, 2), (60, 120, 4), (60, 180, 8)])
    assert score(problem, dispatch.append_rule(problem)).weighted_tardiness > 0
    result = solver.solve(problem, time_limit=2)
    assert result.score.weighted_tardiness == 0 and result.score.late_must == 0


def test_weighted_tardiness_is_the_known_optimum_of_a_one_machine_plant():
    jobs = [(50, 60, 1), (40, 70, 4), (30, 50, 2), (60, 100, 8), (20, 40, 1)]
    result = solver.solve(one_machine(jobs), time_limit=3)
    assert result.method == "cp-sat optimal"
    assert result.score.weighted_tardiness == brute_force_tardiness(jobs)


def test_an_a_order_is_kept_on_time_even_when_that_costs_more_tardiness_elsewhere():
    # A first: the three C orders are 60 + 70 + 80 = 210 late; C first would cost only 4 × 30 = 120.
    problem = one_machine([(60, 60, 4), (10, 10, 1), (10, 10, 1), (10, 10, 1)])
    problem.jobs[1] = Job(1, 60, 4, must_be_on_time=True)
    result = solver.solve(problem, time_limit=2)
    assert result.plan[1].end == 60 and result.score.late_must == 0
    assert result.score.weighted_tardiness == 210


def test_same_colour_runs_together_so_changeovers_are_fewest():
    problem = one_machine([(30, 10_000, 1)] * 4, setups=[WHITE, BLACK, WHITE, BLACK])
    problem.initial = {1: WHITE}
    result = solver.solve(problem, time_limit=2)
    assert result.score.changeovers == 1 and result.score.weighted_tardiness == 0


def test_dark_to_light_costs_more_than_light_to_dark():
    rules = Changeovers()
    assert rules.minutes(BLACK, WHITE) > rules.minutes(WHITE, BLACK) > 0
    assert rules.minutes(WHITE, WHITE) == 0


def test_a_changeover_takes_machine_time_before_the_operation():
    problem = one_machine([(30, 10_000, 1), (30, 10_000, 1)], setups=[WHITE, BLACK])
    problem.initial = {1: WHITE}
    plan = solver.solve(problem, time_limit=2).plan
    first, second = sorted(plan.values(), key=lambda p: p.start)
    assert second.start - first.end >= Changeovers().minutes(WHITE, BLACK)


def test_the_second_machine_is_used_when_it_makes_orders_on_time():
    problem = Problem(
        {1: Job(1, 60, 1), 2: Job(2, 60, 1)},
        [Op(1, 1, 1, 60, (1, 2)), Op(2, 2, 1, 60, (1, 2))],
    )
    plan = solver.solve(problem, time_limit=2).plan
    assert {plan[1].machine, plan[2].machine} == {1, 2} and score(problem, plan).weighted_tardiness == 0


def test_routing_order_and_transfer_time_are_kept():
    problem = Problem({1: Job(1, 0, 1)}, [Op(1, 1, 1, 60, (1,)), Op(2, 1, 2, 30, (2,), transfer=45)])
    plan = solver.solve(problem, time_limit=2).plan
    assert plan[2].start >= plan[1].end + 45


def test_without_or_tools_the_dispatch_rule_plans(monkeypatch):
    monkeypatch.setattr(solver, "cp_model", None)
    problem = one_machine([(240, 960, 1), (120, 600, 2), (60, 120, 4)])
    result = solver.solve(problem)
    assert result.method in {"edd", "atc1.0", "atc4.0"}
    assert result.score.weighted_tardiness == 0


def test_working_time_pauses_over_the_night_and_days_off():
    calendar = Calendar(shifts=((8 * 60, 16 * 60),), days_off=frozenset({datetime(2026, 12, 8).date()}))
    axis = TimeAxis(calendar, datetime(2026, 12, 7, 15, 0))
    assert axis.to_work(datetime(2026, 12, 7, 16, 0)) == 60
    assert axis.to_wall(60, end=True) == datetime(2026, 12, 7, 16, 0)
    assert axis.to_wall(60) == datetime(2026, 12, 9, 8, 0)  # the 8th is a day off
    assert axis.to_work(datetime(2026, 12, 8, 12, 0)) == 60  # a moment off work counts as the next start


# ---- invariants on random plants ----


@st.composite
def plants(draw) -> Problem:
    n_machines = draw(st.integers(1, 3))
    setups = [WHITE, BLACK, Setup("M2", "白色")]
    jobs, ops = {}, []
    for job in range(1, draw(st.integers(1, 6)) + 1):
        jobs[job] = Job(
            job, draw(st.integers(0, 600)), draw(st.sampled_from([1, 2, 4, 8])), draw(st.booleans())
        )
        started = draw(st.integers(0, 1))  # a prefix of the routing has started (or is frozen)
        clock = 0
        for seq in range(1, draw(st.integers(1, 3)) + 1):
            duration = draw(st.integers(10, 120))
            machines = tuple(sorted(draw(st.sets(st.integers(1, n_machines), min_size=1))))
            fixed = None
            if seq <= started:  # on its own machine (one per job) so fixed operations never collide
                fixed = Fixed(100 + job, clock, clock + duration)
                machines, clock = (100 + job,), clock + duration
            ops.append(
                Op(
                    len(ops) + 1,
                    job,
                    seq,
                    duration,
                    machines,
                    draw(st.sampled_from(setups)),
                    draw(st.sampled_from([0, 15])),
                    fixed,
                )
            )
    return Problem(jobs, ops, initial={1: WHITE}, release=draw(st.integers(0, 60)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plants(), st.integers(0, 7 * 24 * 60))
def test_any_plan_keeps_order_machines_and_fixed_operations(problem, offset):
    result = solver.solve(problem, time_limit=1, workers=1)
    plan, by_id = result.plan, {op.id: op for op in problem.ops}
    for op in problem.ops:  # every operation, once, on a machine it may use, for its duration
        place = plan[op.id]
        assert place.machine in op.machines and place.end - place.start == op.duration
        if op.fixed:
            assert (place.machine, place.start, place.end) == (op.fixed.machine, op.fixed.start, op.fixed.end)
        else:
            assert place.start >= problem.release
    for ops in problem.by_job().values():
        for before, after in pairwise(ops):
            assert plan[after.id].start >= plan[before.id].end + after.transfer
    for machine in {p.machine for p in plan.values()}:
        on = sorted((p.start, p.end, i) for i, p in plan.items() if p.machine == machine)
        setup = problem.initial.get(machine)
        for (_, end, a), (start, _, b) in pairwise(on):
            gap = 0 if by_id[b].fixed else problem.changeovers.minutes(by_id[a].setup, by_id[b].setup)
            assert start >= end + gap, (machine, a, b)
        if on and setup is not None and not by_id[on[0][2]].fixed:
            assert on[0][0] >= problem.release + problem.changeovers.minutes(setup, by_id[on[0][2]].setup)
    assert result.score.key() <= result.dispatch.key()  # never worse than its warm start
    # On the wall clock, with two shifts and a day off, every operation runs in working time only.
    origin = datetime(2026, 12, 7) + timedelta(minutes=offset)
    axis = TimeAxis(Calendar(days_off=frozenset({datetime(2026, 12, 9).date()})), origin)
    for op in problem.ops:
        start, end = axis.to_wall(plan[op.id].start), axis.to_wall(plan[op.id].end, end=True)
        assert (
            axis.is_working(start) and axis.working_minutes(start, end) == plan[op.id].end - plan[op.id].start
        )


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 23 * 60),
    st.lists(st.integers(1, 2000), min_size=1, max_size=8),
)
def test_placed_in_working_time_an_operation_runs_only_in_shifts(offset, durations):
    axis = TimeAxis(
        Calendar(days_off=frozenset({datetime(2026, 12, 9).date()})),
        datetime(2026, 12, 7) + timedelta(minutes=offset),
    )
    cursor = 0
    for duration in durations:
        start, end = axis.to_wall(cursor), axis.to_wall(cursor + duration, end=True)
        assert axis.is_working(start)
        assert axis.working_minutes(start, end) == duration
        assert start.date() != datetime(2026, 12, 9).date() and start.hour >= 8
        cursor += duration


@pytest.mark.parametrize("rule", [dispatch.append_rule, dispatch.edd, dispatch.atc])
def test_every_dispatch_rule_plans_every_operation(rule):
    problem = one_machine([(30, 100, 1), (40, 50, 2)])
    assert set(rule(problem)) == {1, 2}
