"""What the scheduler plans, on plain values (DESIGN §4): jobs (one per work order) with a due time and
a priority weight, their operations in routing order with the machines they may run on, the operations
that must stay where they are, sequence-dependent changeovers, and how good a plan is.

Times are integer working minutes from the start of planning (calendar.TimeAxis); a plan's quality is
measured the same way for every rule, so the dispatch rules and the solver compare on one scale.
"""

from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

# Priority weights of the objective: a rush order counts above A, A above B above C.
WEIGHTS = {"rush": 8, "A": 4, "B": 2, "C": 1}
DARK_WORDS = ("黑", "black", "深", "dark", "navy")
MID_WORDS = ("灰", "gray", "grey", "蓝", "blue", "红", "red", "绿", "green", "棕", "brown")


def weight_of(priority: str, rush: bool) -> int:
    return WEIGHTS["rush"] if rush else WEIGHTS.get(priority, WEIGHTS["B"])


@cache
def _shade(colorant: str) -> int:
    return shade(colorant)


def shade(colorant: str) -> int:
    """0 light (natural, white, clear) … 2 dark: going lighter needs a longer purge of the barrel."""
    text = (colorant or "").lower()
    if any(word in text for word in DARK_WORDS):
        return 2
    if any(word in text for word in MID_WORDS):
        return 1
    return 0


@dataclass(frozen=True)
class Setup:
    """What is mounted on a machine: the mold and the colour in the barrel."""

    mold: str = ""
    colour: str = ""

    @property
    def shade(self) -> int:
        return _shade(self.colour)


@dataclass(frozen=True)
class Changeovers:
    """Minutes to go from one setup to another (the settings a planner may change)."""

    mold_minutes: int = 90
    lighter_minutes: int = 60  # dark → light: purge until the colour is clean
    colour_minutes: int = 20  # light → dark, or another colour of the same shade

    def minutes(self, before: Setup | None, after: Setup) -> int:
        if before is None:
            return 0
        out = self.mold_minutes if before.mold != after.mold else 0
        if before.colour != after.colour:
            out += self.lighter_minutes if before.shade > after.shade else self.colour_minutes
        return out

    def is_change(self, before: Setup | None, after: Setup) -> bool:
        return before is not None and before != after


@dataclass(frozen=True)
class Job:
    id: int
    due: int  # working minute by which it should be finished
    weight: int  # WEIGHTS
    must_be_on_time: bool = False  # A and rush orders: no late one, before anything else
    label: str = ""


@dataclass(frozen=True)
class Fixed:
    """Where an operation stays: started, inside the frozen window, or pinned by hand."""

    machine: int
    start: int
    end: int


@dataclass(frozen=True)
class Op:
    id: int
    job: int
    seq: int
    duration: int  # working minutes, without changeover
    machines: tuple[int, ...]  # where it may run
    setup: Setup = Setup()
    transfer: int = 0  # working minutes after the previous step ends (moving, cooling)
    fixed: Fixed | None = None


@dataclass(frozen=True)
class Placement:
    machine: int
    start: int  # the changeover before it runs in [start - changeover, start)
    end: int
    changeover: int = 0


@dataclass
class Problem:
    jobs: dict[int, Job]
    ops: list[Op]
    initial: dict[int, Setup] = field(default_factory=dict)  # machine → what is mounted now
    changeovers: Changeovers = field(default_factory=Changeovers)
    release: int = 0  # nothing new starts before this working minute

    def by_job(self) -> dict[int, list[Op]]:
        out: dict[int, list[Op]] = {}
        for op in sorted(self.ops, key=lambda o: (o.job, o.seq)):
            out.setdefault(op.job, []).append(op)
        return out

    @property
    def machines(self) -> list[int]:
        return sorted({m for op in self.ops for m in op.machines} | set(self.initial))


@dataclass(frozen=True)
class Score:
    late_must: int  # A / rush jobs late
    weighted_tardiness: int  # Σ weight × minutes late
    changeovers: int
    finish: int  # the last operation's end

    def key(self) -> tuple[int, int, int, int]:
        return (self.late_must, self.weighted_tardiness, self.changeovers, self.finish)


def job_ends(problem: Problem, plan: dict[int, Placement]) -> dict[int, int]:
    ends: dict[int, int] = {}
    for op in problem.ops:
        ends[op.job] = max(ends.get(op.job, 0), plan[op.id].end)
    return ends


def score(problem: Problem, plan: dict[int, Placement]) -> Score:
    ends = job_ends(problem, plan)
    late = {j: max(0, ends[j] - job.due) for j, job in problem.jobs.items() if j in ends}
    return Score(
        late_must=sum(1 for j, t in late.items() if t > 0 and problem.jobs[j].must_be_on_time),
        weighted_tardiness=sum(problem.jobs[j].weight * t for j, t in late.items()),
        changeovers=count_changeovers(problem, plan),
        finish=max((p.end for p in plan.values()), default=0),
    )


def machine_sequences(problem: Problem, plan: dict[int, Placement]) -> dict[int, list[Op]]:
    out: dict[int, list[Op]] = {}
    for op in sorted(problem.ops, key=lambda o: (plan[o.id].start, o.id)):
        out.setdefault(plan[op.id].machine, []).append(op)
    return out


def count_changeovers(problem: Problem, plan: dict[int, Placement]) -> int:
    count = 0
    for machine, ops in machine_sequences(problem, plan).items():
        before = problem.initial.get(machine)
        for op in ops:
            count += problem.changeovers.is_change(before, op.setup)
            before = op.setup
    return count


def violations(problem: Problem, plan: dict[int, Placement]) -> list[str]:
    """Every rule a plan breaks, empty for a valid plan: the invariants the tests check."""
    out = []
    for ops in problem.by_job().values():
        for before, after in pairwise(ops):
            if plan[after.id].start < plan[before.id].end + after.transfer:
                out.append(f"op {after.id} starts before op {before.id} ends")
    for machine, ops in machine_sequences(problem, plan).items():
        setup = problem.initial.get(machine)
        previous_end = None
        for op in ops:
            place = plan[op.id]
            if op.fixed is None and machine not in op.machines:
                out.append(f"op {op.id} on machine {machine} it may not use")
            needed = problem.changeovers.minutes(setup, op.setup) if op.fixed is None else 0
            if previous_end is not None and place.start - needed < previous_end:
                out.append(f"op {op.id} overlaps the operation before it on machine {machine}")
            if place.end - place.start != op.duration and op.fixed is None:
                out.append(f"op {op.id} lasts {place.end - place.start}, not {op.duration}")
            setup, previous_end = op.setup, place.end
        for op in ops:
            if op.fixed is not None and (plan[op.id].machine, plan[op.id].start, plan[op.id].end) != (
                op.fixed.machine,
                op.fixed.start,
                op.fixed.end,
            ):
                out.append(f"fixed op {op.id} moved")
            if op.fixed is None and plan[op.id].start < problem.release:
                out.append(f"op {op.id} starts before the release")
    return out
