"""Dispatch rules (DESIGN §4): build a plan in one pass, operation by operation — the solver's warm
start, and the plan itself when OR-Tools is missing or runs out of time.

- `append`: the rule before the scheduler — each work order, in the order it was converted, goes to
  the end of the queue of the machine free first, whatever its due date (kept to measure against);
- `edd`: earliest due date first;
- `atc`: apparent tardiness cost — weight over remaining work, discounted by the slack, so an
  important job with little slack goes first — and a changeover costs as a longer operation.

`edd` and `atc` build active schedules (Giffler–Thompson): at each step they choose among the ready
operations that could start before the earliest one can end, and may fill a gap before a fixed one.
"""

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass

from domain.scheduling.problem import Op, Placement, Problem, Setup, score


@dataclass
class _Busy:
    op_start: int
    end: int
    setup: Setup
    fixed: bool


class _Machines:
    """Each machine's busy stretches, and where an operation fits earliest."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.busy: dict[int, list[_Busy]] = {m: [] for m in problem.machines}
        for op in problem.ops:
            if op.fixed:
                f = op.fixed
                self.busy.setdefault(f.machine, []).append(_Busy(f.start, f.end, op.setup, True))
        for rows in self.busy.values():
            rows.sort(key=lambda b: b.op_start)
        self.starts = {m: [b.op_start for b in rows] for m, rows in self.busy.items()}

    def earliest(self, op: Op, machine: int, ready: int, append: bool = False) -> tuple[int, int]:
        """(start, changeover minutes) of the first place on `machine` from `ready` where `op` fits;
        `append`: only after the last operation, as the queue rule did."""
        rows, change, release = self.busy[machine], self.problem.changeovers.minutes, self.problem.release
        # A gap before an operation that starts by `ready` cannot hold this one: skip those.
        first = len(rows) if append else bisect.bisect_right(self.starts[machine], ready)
        for i in range(first, len(rows) + 1):
            if (
                i < len(rows)
                and rows[i].op_start - max(ready, rows[i - 1].end if i else release) < op.duration
            ):
                continue  # too short whatever the changeovers
            before, free_from = (rows[i - 1].setup, max(release, rows[i - 1].end)) if i else (None, release)
            if i == 0:
                before = self.problem.initial.get(machine)
            co = change(before, op.setup)
            start = max(ready, free_from + co)
            if i == len(rows):
                return start, co
            after = rows[i]  # a fixed operation is set up already; a planned one needs its changeover
            after_co = 0 if after.fixed else change(op.setup, after.setup)
            if start + op.duration + after_co <= after.op_start:
                return start, co
        raise AssertionError("unreachable: the end of a machine is always free")

    def place(self, op: Op, machine: int, start: int, co: int) -> None:
        i = bisect.bisect_right(self.starts[machine], start)
        self.busy[machine].insert(i, _Busy(start, start + op.duration, op.setup, False))
        self.starts[machine].insert(i, start)


def append_rule(problem: Problem) -> dict[int, Placement]:
    """Today's rule: work orders in conversion order, each step at the end of the first-free machine."""
    machines, plan = _Machines(problem), _fixed(problem)
    for job_ops in problem.by_job().values():
        ready = problem.release
        for op in job_ops:
            if op.id not in plan:
                options = [
                    (*machines.earliest(op, m, ready + op.transfer, append=True), m) for m in op.machines
                ]
                start, co, machine = min(options)
                machines.place(op, machine, start, co)
                plan[op.id] = Placement(machine, start, start + op.duration, co)
            ready = plan[op.id].end
    return plan


def edd(problem: Problem) -> dict[int, Placement]:
    return _active_schedule(
        problem, lambda op, t, rest: (-problem.jobs[op.job].due, problem.jobs[op.job].weight)
    )


def atc(problem: Problem, k: float = 2.0) -> dict[int, Placement]:
    ops = [op for op in problem.ops if op.fixed is None]
    mean = sum(op.duration for op in ops) / max(1, len(ops))

    def index(op: Op, t: int, rest: int) -> tuple[float, float]:
        job = problem.jobs[op.job]
        slack = max(0.0, job.due - rest - t)
        must = 1 if job.must_be_on_time else 0
        return (must * (slack == 0), job.weight / max(1, rest) * math.exp(-slack / (k * mean)))

    return _active_schedule(problem, index)


def best_dispatch(problem: Problem) -> tuple[str, dict[int, Placement]]:
    """The best plan of EDD and ATC at two look-ahead values: the warm start and the fallback."""
    candidates = [("edd", edd(problem))] + [(f"atc{k}", atc(problem, k)) for k in (1.0, 4.0)]
    return min(candidates, key=lambda named: score(problem, named[1]).key())


Priority = Callable[[Op, int, int], tuple]


def _active_schedule(problem: Problem, priority: Priority) -> dict[int, Placement]:
    machines, plan = _Machines(problem), _fixed(problem)
    chains = problem.by_job()
    rest = {job: sum(op.duration for op in ops if op.id not in plan) for job, ops in chains.items()}
    position = {job: 0 for job in chains}
    fits: dict[tuple[int, int], tuple[int, int]] = {}  # (op id, machine) → (start, changeover)

    def ready_op(job: int) -> Op | None:
        ops = chains[job]
        while position[job] < len(ops) and ops[position[job]].id in plan:
            position[job] += 1
        return ops[position[job]] if position[job] < len(ops) else None

    def fit(op: Op, machine: int) -> tuple[int, int]:
        if (op.id, machine) not in fits:
            before = position[op.job] - 1
            ready = plan[chains[op.job][before].id].end if before >= 0 else problem.release
            fits[op.id, machine] = machines.earliest(op, machine, ready + op.transfer)
        return fits[op.id, machine]

    def option(op: Op) -> tuple[int, int, int]:
        return min(((*fit(op, m), m) for m in op.machines), key=lambda f: (f[0], f[1], f[2]))

    ready = {job: op for job in chains if (op := ready_op(job)) is not None}
    while ready:
        options = {op.id: option(op) for op in ready.values()}
        first_end = min(options[op.id][0] + op.duration for op in ready.values())
        conflict = [op for op in ready.values() if options[op.id][0] < first_end]
        t = min(options[op.id][0] for op in conflict)
        chosen = max(conflict, key=lambda op: (priority(op, t, rest[op.job]), -op.job))
        start, co, machine = options[chosen.id]
        machines.place(chosen, machine, start, co)
        plan[chosen.id] = Placement(machine, start, start + chosen.duration, co)
        rest[chosen.job] -= chosen.duration
        del ready[chosen.job]
        if (nxt := ready_op(chosen.job)) is not None:
            ready[chosen.job] = nxt
        for op in ready.values():  # only the fits on the machine just used have changed
            fits.pop((op.id, machine), None)
    return plan


def _fixed(problem: Problem) -> dict[int, Placement]:
    return {
        op.id: Placement(op.fixed.machine, op.fixed.start, op.fixed.end) for op in problem.ops if op.fixed
    }
