"""Bench: the scheduler (DESIGN §4) against the rules it replaces, on the demo plant and on a
generated plant of 500 operations on 12 machines.

    .venv/bin/python -m bench.scheduling            # both plants, 4 s solver limit, 2 workers
    .venv/bin/python -m bench.scheduling --seconds 2 --only generated

For each plant and rule — `append` (each work order at the end of the first-free machine's queue, the
rule before the scheduler), `edd` (earliest due date, active schedule), `solver` (CP-SAT warm-started
from the best of EDD/ATC, with its time limit) — it prints one Markdown row: A/rush orders late,
priority-weighted tardiness (Σ weight × hours late; rush 8, A 4, B 2, C 1), changeovers, the last
end (working hours), and the wall time including model building.
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.scheduling import dispatch, solver
from domain.scheduling.problem import Fixed, Job, Op, Problem, Setup, score, violations, weight_of

SEED = 20_261_207
DAY = 16 * 60  # working minutes a day: two 8-hour shifts
COLOURS = ("本色", "白色", "灰色", "蓝色", "黑色")
COLUMNS = (
    "plant",
    "ops / machines",
    "rule",
    "A/rush late",
    "weighted tardiness (h)",
    "changeovers",
    "last end (h)",
    "time (s)",
)
HEADER = ("| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS))


def generated_plant(n_ops: int = 500, seed: int = SEED) -> Problem:
    """12 machines: 6 presses in three tonnage classes, 3 finishing, 3 assembly lines. Each job molds
    (on a press big enough; mold and colour make changeovers there), maybe finishes, then assembles;
    about a week of work for the presses, due within 2–10 working days (rush within 4)."""
    rnd = random.Random(seed)
    presses = {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3}  # machine → tonnage class
    finishing, assembly = (7, 8, 9), (10, 11, 12)
    molds = [(f"M{k:02}", rnd.randint(1, 3)) for k in range(12)]  # mold → tonnage class it needs
    jobs, ops, job_id = {}, [], 0
    while len(ops) < n_ops:
        job_id += 1
        mold, tons = rnd.choice(molds)
        setup = Setup(mold, rnd.choice(COLOURS))
        priority = rnd.choices("ABC", weights=(25, 45, 30))[0]
        rush = rnd.random() < 0.06
        steps = [(tuple(m for m, c in presses.items() if c >= tons), rnd.randint(60, 360), setup)]
        if rnd.random() < 0.5:
            steps.append((finishing, rnd.randint(30, 180), Setup()))
        steps.append((assembly, rnd.randint(30, 120), Setup()))
        for seq, (machines, minutes, needs) in enumerate(steps[: n_ops - len(ops)], start=1):
            ops.append(Op(len(ops) + 1, job_id, seq, minutes, machines, needs, transfer=30 if seq > 1 else 0))
        due = rnd.randint(2 * DAY, (4 if rush else 10) * DAY)
        jobs[job_id] = Job(job_id, due, weight_of(priority, rush), priority == "A" or rush)
    initial = {m: Setup("M00", "本色") if m in presses else Setup() for m in range(1, 13)}
    return _start_some(Problem(jobs, ops, initial=initial))


def _start_some(problem: Problem) -> Problem:
    """The first operation of the first jobs already runs on the machines (it must not move)."""
    ops, busy = [], set()
    for op in problem.ops:
        machine = op.machines[0]
        if op.seq == 1 and machine not in busy and op.machines[0] <= 6:
            busy.add(machine)
            op = Op(
                op.id,
                op.job,
                op.seq,
                op.duration,
                op.machines,
                op.setup,
                op.transfer,
                Fixed(machine, 0, op.duration),
            )
        ops.append(op)
    return Problem(problem.jobs, ops, problem.initial, problem.changeovers)


def rows(name: str, problem: Problem, seconds: float) -> list[str]:
    machines = len(problem.machines)
    out = []
    for rule, plan_of in (("append", dispatch.append_rule), ("edd", dispatch.edd), ("solver", None)):
        began = time.perf_counter()
        if plan_of is None:
            result = solver.solve(problem, time_limit=seconds, workers=2)
            plan, label = result.plan, f"solver ({result.method})"
        else:
            plan, label = plan_of(problem), rule
        took = time.perf_counter() - began
        broken = violations(problem, plan)
        assert not broken, broken[:5]
        s = score(problem, plan)
        out.append(
            f"| {name} | {len(problem.ops)} / {machines} | {label} | {s.late_must} | "
            f"{s.weighted_tardiness / 60:,.0f} | {s.changeovers} | {s.finish / 60:,.1f} | {took:.2f} |"
        )
    return out


def demo_plant() -> Problem:
    """The demo plant's open operations, as the re-plan would see them (SQLite, seeded fresh)."""
    from app import create_app
    from demo.plant import seed_demo_plant
    from domain.clock import plant_today, plant_zone
    from domain.scheduling import replan
    from extensions import db

    with tempfile.TemporaryDirectory(prefix="oh-bench-scheduling-") as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                "REDIS_URL": None,
                "TESTING": True,
            }
        )
        with app.app_context():
            db.create_all()
            zone = plant_zone(app.config)
            seed_demo_plant(plant_today(zone), zone)
            problem = replan.load().problem
            db.engine.dispose()
    return problem


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0, help="the solver's time limit")
    parser.add_argument("--only", choices=("demo", "generated"))
    args = parser.parse_args()
    print("\n".join(HEADER))
    if args.only != "generated":
        print("\n".join(rows("demo", demo_plant(), args.seconds)))
    if args.only != "demo":
        print("\n".join(rows("generated", generated_plant(), args.seconds)))


if __name__ == "__main__":
    main()
