"""The scheduler (DESIGN §4): plans every open operation at once with OR-Tools CP-SAT, warm-started
from the best dispatch rule, which is also the answer when OR-Tools is not installed, finds nothing
better in the time limit, or the model is infeasible — so the app never waits on the solver.

Model: one start per operation, an optional interval per machine it may use (exactly one present),
no overlap per machine, routing order with transfer time, fixed operations as fixed intervals, and per
machine a circuit over its operations whose arcs carry the sequence-dependent changeover. The objective
is lexicographic, as weights that cannot trade across levels: no late A/rush job, then Σ weight ×
minutes late, then the number of changeovers, then the last end.
"""

import time
from dataclasses import dataclass, field
from itertools import pairwise

from domain.scheduling.dispatch import best_dispatch
from domain.scheduling.problem import Op, Placement, Problem, Score, machine_sequences, score

try:  # an optional speed-up: the dispatch rule plans alone without it
    from ortools.sat.python import cp_model
except ImportError:  # pragma: no cover - exercised by the fallback test with the import blocked
    cp_model = None

FULL_ARCS_UP_TO = 40  # operations on one machine; beyond, successors are limited to the nearest ones
NEIGHBOURS = 10  # how far apart (in the warm start's order on the machine) two successive ops may be
LNS_ONLY_ABOVE = 60  # operations to plan: beyond, search only for better plans (no optimality proof)


@dataclass
class Result:
    plan: dict[int, Placement]
    score: Score
    method: str  # "cp-sat optimal", "cp-sat", or the dispatch rule's name
    seconds: float
    dispatch: Score = field(default=None)  # type: ignore[assignment]


def solve(
    problem: Problem,
    time_limit: float = 4.0,
    workers: int = 2,
    use_solver: bool = True,
    current: dict[int, Placement] | None = None,
) -> Result:
    """`current`: today's plan, when valid; it stays unless a plan scores strictly better, so
    re-planning an unchanged plant changes nothing."""
    began = time.perf_counter()
    rule, warm = best_dispatch(problem)
    dispatch_score = score(problem, warm)
    if current is not None and score(problem, current).key() <= dispatch_score.key():
        rule, warm = "current", current
    warm_score = score(problem, warm)
    plan, method = warm, rule
    if use_solver and cp_model is not None and any(op.fixed is None for op in problem.ops):
        model = _Model(problem, warm)
        solved = model.solve(max(0.2, time_limit - (time.perf_counter() - began)), workers)
        if solved is not None:
            key = score(problem, solved[0]).key()
            if key < warm_score.key() or (key == warm_score.key() and rule != "current"):
                plan, method = solved
    return Result(plan, score(problem, plan), method, time.perf_counter() - began, dispatch_score)


class _Model:
    def __init__(self, problem: Problem, warm: dict[int, Placement]) -> None:
        self.problem, self.warm = problem, warm
        self.m = cp_model.CpModel()
        self.horizon = self._horizon()
        self.start: dict[int, object] = {}
        self.on: dict[tuple[int, int], object] = {}  # (op, machine) → present literal
        self.changes: list[object] = []
        self._operations()
        self._machines()
        self._objective()

    def _horizon(self) -> int:
        p = self.problem
        worst = max((p.changeovers.minutes(None, op.setup) for op in p.ops), default=0)
        worst = p.changeovers.mold_minutes + p.changeovers.lighter_minutes + worst
        busy = sum(op.duration + op.transfer + worst for op in p.ops)
        fixed_end = max((op.fixed.end for op in p.ops if op.fixed), default=0)
        return max(fixed_end, p.release, max(pl.end for pl in self.warm.values())) + busy

    def _operations(self) -> None:
        m, warm = self.m, self.warm
        for op in self.problem.ops:
            if op.fixed:
                self.start[op.id] = op.fixed.start
                continue
            start = m.new_int_var(self.problem.release, self.horizon, f"s{op.id}")
            m.add_hint(start, warm[op.id].start)
            self.start[op.id] = start
            literals = []
            for machine in op.machines:
                lit = m.new_bool_var(f"o{op.id}m{machine}")
                m.add_hint(lit, warm[op.id].machine == machine)
                self.on[op.id, machine] = lit
                literals.append(lit)
            m.add_exactly_one(literals)
        for ops in self.problem.by_job().values():
            for before, after in pairwise(ops):
                if before.fixed and after.fixed:
                    continue
                m.add(self.start[after.id] >= self._end(before) + after.transfer)

    def _machines(self) -> None:
        order = machine_sequences(self.problem, self.warm)
        for machine in self.problem.machines:
            ops = [op for op in self.problem.ops if self._may_use(op, machine)]
            ops.sort(key=lambda op: (self.warm[op.id].start, op.id))
            intervals = []
            for op in ops:
                if op.fixed:
                    size = op.fixed.end - op.fixed.start
                    intervals.append(self.m.new_fixed_size_interval_var(op.fixed.start, size, ""))
                else:
                    intervals.append(
                        self.m.new_optional_fixed_size_interval_var(
                            self.start[op.id], op.duration, self.on[op.id, machine], ""
                        )
                    )
            self.m.add_no_overlap(intervals)
            self._circuit(machine, ops, [op.id for op in order.get(machine, [])])

    def _end(self, op: Op):
        return op.fixed.end if op.fixed else self.start[op.id] + op.duration

    def _may_use(self, op: Op, machine: int) -> bool:
        return op.fixed.machine == machine if op.fixed else machine in op.machines

    def _present(self, op: Op, machine: int):
        return True if op.fixed else self.on[op.id, machine]

    def _circuit(self, machine: int, ops: list[Op], warm_order: list[int]) -> None:
        """Node 0 is the machine before and after the plan; arc i → j means j runs right after i."""
        setups = {op.setup for op in ops} | (
            {self.problem.initial[machine]} if machine in self.problem.initial else set()
        )
        if len(setups) <= 1:
            return  # one setup throughout (an assembly line): no changeover to sequence
        m, p = self.m, self.problem
        change, node = p.changeovers, {op.id: i + 1 for i, op in enumerate(ops)}
        used = set(zip([0, *warm_order], [*warm_order, 0], strict=True))  # the warm start's arcs
        used = {(node.get(a, 0), node.get(b, 0)) for a, b in used}
        arcs, initial = [], p.initial.get(machine)
        empty = m.new_bool_var("")
        m.add_hint(empty, not warm_order)
        arcs.append((0, 0, empty))
        for i, op in enumerate(ops, start=1):
            if not op.fixed:
                arcs.append((i, i, ~self.on[op.id, machine]))
            first, last = m.new_bool_var(""), m.new_bool_var("")
            m.add_hint(first, (0, i) in used)
            m.add_hint(last, (i, 0) in used)
            arcs += [(0, i, first), (i, 0, last)]
            if not op.fixed:
                m.add(self.start[op.id] >= p.release + change.minutes(initial, op.setup)).only_enforce_if(
                    first
                )
            if change.is_change(initial, op.setup):
                self.changes.append(first)
        full = len(ops) <= FULL_ARCS_UP_TO
        for i, a in enumerate(ops, start=1):
            for j, b in enumerate(ops, start=1):
                if i == j or (a.fixed and b.fixed and a.fixed.start > b.fixed.start):
                    continue
                if full or abs(i - j) <= NEIGHBOURS or (i, j) in used:
                    arcs.append((i, j, self._arc(a, b, (i, j) in used)))
        m.add_circuit(arcs)

    def _arc(self, a: Op, b: Op, hinted: bool):
        lit = self.m.new_bool_var("")
        self.m.add_hint(lit, hinted)
        gap = 0 if b.fixed else self.problem.changeovers.minutes(a.setup, b.setup)
        if not (a.fixed and b.fixed):
            self.m.add(self.start[b.id] >= self._end(a) + gap).only_enforce_if(lit)
        if self.problem.changeovers.is_change(a.setup, b.setup):
            self.changes.append(lit)
        return lit

    def _objective(self) -> None:
        m, p, horizon = self.m, self.problem, self.horizon
        ends = {job: ops[-1] for job, ops in p.by_job().items()}
        warm_end = {job: self.warm[op.id].end for job, op in ends.items()}
        late_terms, tardiness_terms = [], []
        for job_id, last in ends.items():
            job = p.jobs[job_id]
            if last.fixed:
                continue  # its lateness is decided already: a constant of the objective
            end = self._end(last)
            late = m.new_int_var(0, horizon, f"t{job_id}")
            m.add(late >= end - job.due)
            m.add_hint(late, max(0, warm_end[job_id] - job.due))
            tardiness_terms.append(job.weight * late)
            if job.must_be_on_time:
                is_late = m.new_bool_var(f"l{job_id}")
                m.add(end <= job.due).only_enforce_if(~is_late)
                m.add_hint(is_late, warm_end[job_id] > job.due)
                late_terms.append(is_late)
        finish = m.new_int_var(0, horizon, "finish")
        m.add_max_equality(finish, [self._end(op) for op in p.ops])
        m.add_hint(finish, max(pl.end for pl in self.warm.values()))
        # Weights so that no amount of a lower level pays for one unit of the level above.
        w_change = horizon + 1
        w_tardy = w_change * (len(p.ops) + 1)  # an operation has one predecessor: ≤ one change each
        w_late = w_tardy * (sum(j.weight for j in p.jobs.values()) * horizon + 1)
        m.minimize(
            w_late * sum(late_terms) + w_tardy * sum(tardiness_terms) + w_change * sum(self.changes) + finish
        )

    def solve(self, seconds: float, workers: int) -> tuple[dict[int, Placement], str] | None:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = workers
        # Probing and symmetry detection take seconds on a plant-sized model and find little here;
        # the time is better spent improving the warm start.
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        if sum(op.fixed is None for op in self.problem.ops) > LNS_ONLY_ABOVE:
            # On a plant-sized model no proof of optimality comes within seconds: every worker improves
            # the warm start by neighbourhood search, without the LP (measured: bench/README.md).
            solver.parameters.use_lns_only = True
            solver.parameters.linearization_level = 0
        status = solver.solve(self.m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        plan = {}
        for op in self.problem.ops:
            if op.fixed:
                plan[op.id] = Placement(op.fixed.machine, op.fixed.start, op.fixed.end)
                continue
            start = solver.value(self.start[op.id])
            machine = next(mc for mc in op.machines if solver.boolean_value(self.on[op.id, mc]))
            plan[op.id] = Placement(machine, start, start + op.duration)
        return plan, "cp-sat optimal" if status == cp_model.OPTIMAL else "cp-sat"
