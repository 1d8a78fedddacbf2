"""Re-planning the plant (DESIGN §4): the open operations as a scheduling problem, the proposed plan
beside the current one (what moves, which orders become late or on time), and applying it in one
transaction. A rush insertion is the same re-plan with the rush work order first.

Started, pinned and frozen-window operations stay where they are. A proposal is signed, so applying
applies exactly what was previewed; applying it again changes nothing, and an operation changed in
between refuses the whole plan (preview again).
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from domain import audit
from domain.clock import from_plant, plant_zone, to_plant_naive, utcnow
from domain.errors import DomainError, NotFound
from domain.masterdata import RoutingStep
from domain.production import planning
from domain.production.models import OPEN_OPERATION, STARTED, Machine, Operation, WorkOrder
from domain.scheduling import settings as scheduling_settings
from domain.scheduling.calendar import TimeAxis
from domain.scheduling.dispatch import best_dispatch
from domain.scheduling.gantt import days_late, sync_work_order_window
from domain.scheduling.problem import Fixed, Job, Op, Placement, Problem, Setup, violations, weight_of
from domain.scheduling.solver import solve
from domain.transactions import write_transaction
from extensions import db

RUSH_FIRST = 1000  # the weight of the rush work order being inserted: above every other order together


@dataclass
class Loaded:
    problem: Problem
    axis: TimeAxis
    zone: ZoneInfo
    ops: dict[int, Operation]
    current: dict[int, Placement]
    time_limit: float


@dataclass(frozen=True)
class Move:
    op_id: int
    label: str
    order: str
    old: tuple[int | None, datetime, datetime]  # machine, start, end (naive UTC)
    new: tuple[int | None, datetime, datetime]


@dataclass(frozen=True)
class OrderImpact:
    order_id: int
    number: str
    priority: str
    rush: bool
    due_date: str
    old_finish: datetime
    new_finish: datetime
    old_days_late: int
    new_days_late: int

    @property
    def delay_hours(self) -> float:
        return round((self.new_finish - self.old_finish).total_seconds() / 3600, 1)


@dataclass
class Proposal:
    moves: list[Move]
    orders: list[OrderImpact]  # every order whose finish changes
    method: str
    seconds: float
    rush_work_order_id: int | None = None
    token: str = ""
    delayed: list[OrderImpact] = field(default_factory=list)


# ---- loading ----


def load(
    rush_work_order_id: int | None = None,
    now: datetime | None = None,
    only: int | None = None,
    placing: bool = False,
) -> Loaded:
    """`only`: place just this work order's operations among the others, which all stay; with
    `placing`, the workshops that work order goes through are re-planned too."""
    now = now or utcnow()
    config = scheduling_settings.load()
    zone = plant_zone()
    # Whole minutes from a whole minute: a plan read back from the database is the plan it was.
    axis = TimeAxis(config.calendar(), _local(now, zone).replace(second=0, microsecond=0), days=366)
    frozen_until = now + timedelta(hours=config.frozen_hours)
    ops = list(
        db.session.scalars(
            select(Operation)
            .options(joinedload(Operation.work_order).joinedload(WorkOrder.order))
            .options(joinedload(Operation.work_order).joinedload(WorkOrder.product))
            .where(Operation.status.in_(OPEN_OPERATION))  # not done, held or cancelled
            .order_by(Operation.work_order_id, Operation.seq)
        ).unique()
    )
    machines = _machines_by_workshop()
    steps = _routing_steps({op.work_order.product_id for op in ops})
    first_seq = {}
    for op in ops:
        first_seq.setdefault(op.work_order_id, op.seq)
    # A rush insertion (or placing a converted work order) re-plans the workshops it goes through;
    # the rest stays as it is.
    focus = rush_work_order_id or (only if placing else None)
    scope = {op.workshop_id for op in ops if op.work_order_id == focus} or None
    problem_ops, jobs = [], {}
    for op in ops:
        wo = op.work_order
        keep = (scope is not None and op.workshop_id not in scope) or (
            not placing and only not in (None, op.work_order_id)
        )
        fixed = None if op.work_order_id == only else _fixed(op, now, frozen_until, axis, zone, keep)
        step = steps.get((wo.product_id, op.seq))
        eligible = _eligible(machines.get(op.workshop_id, []), step) or (-op.id,)  # no machines: never waits
        duration = _duration(op, step, axis, zone)
        transfer = step.transfer_minutes if step is not None else 0
        setup = Setup(wo.product.mold, wo.product.colorant or "") if op.seq == first_seq[wo.id] else Setup()
        problem_ops.append(Op(op.id, wo.id, op.seq, duration, eligible, setup, transfer, fixed))
        jobs.setdefault(wo.id, _job(wo, axis, rush_work_order_id))
    problem = Problem(jobs, problem_ops, changeovers=config.changeovers())
    current = {
        op.id: Placement(
            op.machine_id or -op.id,
            axis.to_work(_local(op.planned_start, zone)),
            axis.to_work(_local(op.planned_end, zone)),
        )
        for op in ops
    }
    return Loaded(problem, axis, zone, {op.id: op for op in ops}, current, config.time_limit_seconds)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return to_plant_naive(moment, zone)


def _utc(moment: datetime, zone: ZoneInfo) -> datetime:
    return from_plant(moment, zone)


def _machines_by_workshop() -> dict[int, list[tuple[int, int | None]]]:
    """Workshop → [(machine id, tonnage)] of its active machines."""
    out: dict[int, list[tuple[int, int | None]]] = {}
    query = select(Machine.id, Machine.workshop_id, Machine.tonnage).where(Machine.active.is_(True))
    for machine_id, workshop_id, tonnage in db.session.execute(query.order_by(Machine.code)):
        out.setdefault(workshop_id, []).append((machine_id, tonnage))
    return out


def _eligible(machines: list[tuple[int, int | None]], step: RoutingStep | None) -> tuple[int, ...]:
    """The workshop's machines strong enough for the step; all of them when none is (or none is
    known to be): a step is never left without a machine for want of data."""
    need = step.min_tonnage if step is not None else None
    strong = [m for m, tons in machines if need is None or (tons is not None and tons >= need)]
    return tuple(strong or [m for m, _tons in machines])


def _routing_steps(product_ids: set[int]) -> dict[tuple[int, int], RoutingStep]:
    rows = db.session.scalars(select(RoutingStep).where(RoutingStep.product_id.in_(product_ids)))
    return {(s.product_id, s.seq): s for s in rows}


def _duration(op: Operation, step: RoutingStep | None, axis: TimeAxis, zone: ZoneInfo) -> int:
    """From the routing (setup + quantity × cycle), so re-planning never stretches an operation; the
    planned length when the routing has no such step."""
    if step is not None:
        quantity = Decimal(op.work_order.quantity)
        minutes = planning.duration(
            planning.Step(step.seq, step.name, step.workshop_id, step.setup_minutes, step.seconds_per_unit),
            quantity,
        )
        return max(1, int(minutes.total_seconds() // 60))
    return max(1, math.ceil((op.planned_end - op.planned_start).total_seconds() / 60))


def _fixed(
    op: Operation, now: datetime, frozen_until: datetime, axis: TimeAxis, zone: ZoneInfo, keep: bool = False
) -> Fixed | None:
    """Started, pinned, due to start before the end of the frozen window (an overdue one too: the team
    may be starting it), or outside what is re-planned: it stays."""
    if keep or op.status == STARTED or op.pinned or op.planned_start < frozen_until:
        start, end = (
            axis.to_work(_local(op.planned_start, zone)),
            axis.to_work(_local(op.planned_end, zone), up=True),
        )
        return Fixed(op.machine_id or -op.id, start, end)
    return None


def _job(wo: WorkOrder, axis: TimeAxis, rush_work_order_id: int | None) -> Job:
    order = wo.order
    due = axis.to_work(datetime.combine(order.due_date + timedelta(days=1), time()))  # end of the due day
    if wo.id == rush_work_order_id:
        return Job(wo.id, due, RUSH_FIRST, True, order.number)
    return Job(
        wo.id,
        due,
        weight_of(order.priority, order.is_rush),
        order.priority == "A" or order.is_rush,
        order.number,
    )


def place_work_order(work_order: WorkOrder, actor: Any = None, now: datetime | None = None) -> None:
    """A converted work order is placed by the scheduler's rules, not appended: first into the plan as
    it stands (gaps included, changeovers counted), then the workshops it goes through are re-planned
    by the dispatch rules — by due date and priority — when that scores better. Fast (no solver), as
    it runs inside the conversion's transaction; the planner's re-plan does the rest."""
    loaded = load(now=now, only=work_order.id)
    _rule, plan = best_dispatch(loaded.problem)
    _write(loaded, {op.id: plan[op.id] for op in work_order.operations})
    db.session.flush()
    loaded = load(now=now, only=work_order.id, placing=True)
    current_valid = not violations(loaded.problem, loaded.current)
    result = solve(loaded.problem, use_solver=False, current=loaded.current if current_valid else None)
    moved = _write(loaded, result.plan)
    if moved:
        audit.record(
            "plan.applied", "work_order", work_order.id, {"moved": moved, "conversion": True}, actor=actor
        )


def _write(loaded: Loaded, plan: dict[int, Placement]) -> list[int]:
    """Set the planned operations (not the fixed ones); returns the ids of those that changed."""
    fixed = {op.id for op in loaded.problem.ops if op.fixed is not None}
    changed, windows = [], set()
    for op_id, place in plan.items():
        op = loaded.ops[op_id]
        if op_id in fixed:
            continue
        new = (
            place.machine if place.machine > 0 else None,
            _utc(loaded.axis.to_wall(place.start), loaded.zone),
            _utc(loaded.axis.to_wall(place.end, end=True), loaded.zone),
        )
        if new != (op.machine_id, op.planned_start, op.planned_end):
            op.machine_id, op.planned_start, op.planned_end = new
            changed.append(op_id)
            windows.add(op.work_order)
    for work_order in windows:
        sync_work_order_window(work_order)
    return changed


# ---- proposing ----


def propose(rush_work_order_id: int | None = None, now: datetime | None = None) -> Proposal:
    if rush_work_order_id is not None:
        _check_rush(rush_work_order_id)
    loaded = load(rush_work_order_id, now)
    current_valid = not violations(loaded.problem, loaded.current)
    result = solve(loaded.problem, loaded.time_limit, current=loaded.current if current_valid else None)
    moves = _moves(loaded, result.plan)
    proposal = Proposal(moves, _impacts(loaded, moves), result.method, result.seconds, rush_work_order_id)
    proposal.delayed = [o for o in proposal.orders if o.new_finish > o.old_finish]
    proposal.token = _serializer().dumps(
        {"rush": rush_work_order_id, "moves": [[m.op_id, *_plain(m.old), *_plain(m.new)] for m in moves]}
    )
    return proposal


def _check_rush(work_order_id: int) -> None:
    work_order = db.session.get(WorkOrder, work_order_id)
    if work_order is None:
        raise NotFound(_("Work order"), work_order_id)
    if not work_order.order.is_rush:
        raise DomainError(
            "not_rush", _("Only an approved rush order is inserted ahead of the queue."), {}, status=409
        )


def _moves(loaded: Loaded, plan: dict[int, Placement]) -> list[Move]:
    out, fixed = [], {op.id for op in loaded.problem.ops if op.fixed is not None}
    for op_id, place in plan.items():
        op = loaded.ops[op_id]
        if op_id in fixed:
            continue
        start = _utc(loaded.axis.to_wall(place.start), loaded.zone)
        end = _utc(loaded.axis.to_wall(place.end, end=True), loaded.zone)
        new = (place.machine if place.machine > 0 else None, start, end)
        old = (op.machine_id, op.planned_start, op.planned_end)
        if new != old:
            label = f"{op.work_order.number} #{op.seq} {op.name}"
            out.append(Move(op_id, label, op.work_order.order.number, old, new))
    return sorted(out, key=lambda m: (m.new[1], m.op_id))


def _impacts(loaded: Loaded, moves: list[Move]) -> list[OrderImpact]:
    moved = {m.op_id: m for m in moves}
    by_order: dict[int, list[Operation]] = {}
    for op in loaded.ops.values():
        by_order.setdefault(op.work_order.order_id, []).append(op)
    out = []
    for ops in by_order.values():
        if not any(op.id in moved for op in ops):
            continue
        order = ops[0].work_order.order
        old = max(op.planned_end for op in ops)
        new = max(moved[op.id].new[2] if op.id in moved else op.planned_end for op in ops)
        if old == new:
            continue
        out.append(
            OrderImpact(
                order.id,
                order.number,
                order.priority,
                order.is_rush,
                order.due_date.isoformat(),
                old,
                new,
                days_late(old, order.due_date),
                days_late(new, order.due_date),
            )
        )
    return sorted(out, key=lambda o: o.number)


def _plain(value: tuple) -> list:
    machine, start, end = value
    return [machine, start.isoformat(), end.isoformat()]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="replan")


# ---- applying ----


def apply(token: str, actor: Any, rush_work_order_id: int | None = None) -> int:
    """Apply a previewed proposal in one transaction; returns how many operations it moved (0 when it
    was applied already). Refuses (409) when an operation changed since the preview."""
    try:
        data = _serializer().loads(token)
    except BadSignature as error:
        raise DomainError("invalid_plan", _("This plan was not made here: preview again."), {}) from error
    if data["rush"] != rush_work_order_id:
        raise DomainError("invalid_plan", _("This plan was not made here: preview again."), {})
    rows = {row[0]: row for row in data["moves"]}
    with write_transaction():
        ops = {
            op.id: op
            for op in db.session.scalars(select(Operation).where(Operation.id.in_(rows)).with_for_update())
        }
        changed = [_apply_one(ops.get(op_id), row) for op_id, row in rows.items()]
        for work_order in {op.work_order for op in ops.values()}:
            sync_work_order_window(work_order)
        if any(changed):
            audit.record(
                "plan.applied",
                "work_order" if data["rush"] else "plan",
                data["rush"] or 0,
                {
                    "moved": [op_id for op_id, done in zip(rows, changed, strict=True) if done],
                    "rush": data["rush"],
                },
                actor=actor,
            )
    return sum(changed)


def _apply_one(op: Operation | None, row: list) -> bool:
    _op_id, old_m, old_s, old_e, new_m, new_s, new_e = row
    if op is None:
        raise DomainError(
            "plan_changed", _("The plan changed since the preview: preview again."), {}, status=409
        )
    now_values = (op.machine_id, op.planned_start.isoformat(), op.planned_end.isoformat())
    if now_values == (new_m, new_s, new_e):
        return False  # applied already
    if now_values != (old_m, old_s, old_e) or op.status != "pending" or op.pinned:
        raise DomainError(
            "plan_changed", _("The plan changed since the preview: preview again."), {}, status=409
        )
    op.machine_id = new_m
    op.planned_start, op.planned_end = datetime.fromisoformat(new_s), datetime.fromisoformat(new_e)
    return True


@dataclass(frozen=True)
class PlannedFinish:
    at: datetime  # plant-local
    days_late: int


def planned_finish(order_id: int, due) -> PlannedFinish | None:
    """The order's planned finish (its work order's last operation) and the days it is past the due
    date; None before it is converted."""
    end = db.session.scalar(
        select(func.max(Operation.planned_end)).join(WorkOrder).where(WorkOrder.order_id == order_id)
    )
    if end is None:
        return None
    zone = plant_zone()
    return PlannedFinish(_local(end, zone), days_late(end, due))
