"""The Gantt's data and changes (DESIGN §4): rows per workshop and machine, moving (and so pinning) one
operation, unpinning it. The move rules are in rules.py; re-planning and rush insertion in replan.py."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from domain import audit
from domain.clock import as_utc, plant_date
from domain.errors import DomainError, NotFound
from domain.masterdata import Workshop
from domain.production.models import DONE, OPEN_OPERATION, Machine, Operation, WorkOrder
from domain.scheduling.rules import Slot, check_move
from domain.transactions import write_transaction
from extensions import db

MAX_WINDOW = timedelta(days=62)
ON_MACHINE = (*OPEN_OPERATION, DONE)  # a held or cancelled work order holds no machine time
KEEP_MACHINE: Any = object()  # move_operation's machine_id when the caller did not name one


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @classmethod
    def of(cls, start: datetime, end: datetime) -> "Window":
        return cls(naive_utc(start), naive_utc(end))

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise DomainError(
                "invalid_window",
                _("The end of the period must be after its start."),
                {"end": _("Before the start.")},
            )
        if self.end - self.start > MAX_WINDOW:
            raise DomainError(
                "window_too_long", _("Show at most 62 days at a time."), {"end": _("Too far from the start.")}
            )


def iso_utc(moment: datetime) -> str:
    """The database holds naive UTC; the chart needs the zone said, or it reads local time."""
    return moment.isoformat() + "Z"


def naive_utc(moment: datetime) -> datetime:
    return as_utc(moment)


def slot_of(op: Operation) -> Slot:
    return Slot(
        op_id=op.id,
        work_order_id=op.work_order_id,
        seq=op.seq,
        workshop_id=op.workshop_id,
        machine_id=op.machine_id,
        start=op.planned_start,
        end=op.planned_end,
        label=f"{op.work_order.number} #{op.seq} {op.name}",
    )


def rows(workshop_id: int | None) -> list[dict[str, Any]]:
    """One row per workshop with its machines nested; operations without a machine sit on the workshop."""
    workshops = db.session.scalars(
        select(Workshop)
        .where(Workshop.active.is_(True), *([Workshop.id == workshop_id] if workshop_id else []))
        .order_by(Workshop.code)
    ).all()
    machines = db.session.scalars(
        select(Machine)
        .where(Machine.active.is_(True), Machine.workshop_id.in_([w.id for w in workshops]))
        .order_by(Machine.code)
    ).all()
    out = []
    for workshop in workshops:
        own = [m for m in machines if m.workshop_id == workshop.id]
        out.append(
            {
                "id": f"w{workshop.id}",
                "content": f"{workshop.code} {workshop.name}",
                "nestedGroups": [f"m{m.id}" for m in own] or None,
            }
        )
        out.extend(
            {"id": f"m{m.id}", "content": f"{m.code} {m.name}", "workshop_id": workshop.id} for m in own
        )
    return out


def operations(window: Window, workshop_id: int | None) -> list[Operation]:
    query = (
        select(Operation)
        .options(joinedload(Operation.work_order).joinedload(WorkOrder.order))
        .where(Operation.planned_start < window.end, Operation.planned_end > window.start)
        .where(Operation.status.in_(ON_MACHINE))  # a held or cancelled work order's time is free
        .order_by(Operation.planned_start, Operation.id)
    )
    if workshop_id:
        query = query.where(Operation.workshop_id == workshop_id)
    return list(db.session.scalars(query).unique())


def item(op: Operation) -> dict[str, Any]:
    order = op.work_order.order
    return {
        "id": op.id,
        "group": f"m{op.machine_id}" if op.machine_id else f"w{op.workshop_id}",
        "start": iso_utc(op.planned_start),
        "end": iso_utc(op.planned_end),
        "content": f"{op.work_order.number} · {op.seq} {op.name}",
        "work_order": op.work_order.number,
        "order": order.number,
        "seq": op.seq,
        "status": op.status,
        "rush": order.is_rush,
        "editable": op.status in OPEN_OPERATION,
        "pinned": op.pinned,
        "days_late": days_late(op.planned_end, order.due_date),
    }


def days_late(end: datetime, due: date) -> int:
    """Whole days an end (naive UTC) falls after the due date, in the plant's time zone."""
    return max(0, (plant_date(end) - due).days)


def plan(window: Window, workshop_id: int | None = None) -> dict[str, Any]:
    return {
        "groups": rows(workshop_id),
        "items": [item(op) for op in operations(window, workshop_id)],
        "window": {"start": iso_utc(window.start), "end": iso_utc(window.end)},
    }


def move_operation(op_id: int, start: datetime, end: datetime, machine_id: Any, actor: Any) -> Operation:
    """Move (and maybe re-machine) one operation in one transaction, or refuse with the reason.

    `machine_id` KEEP_MACHINE keeps the current machine; None is refused for an operation that has one,
    so a move never takes an operation off its machine (and past the overlap check)."""
    start, end = naive_utc(start), naive_utc(end)
    with write_transaction():
        op = _locked_operation(op_id)
        if op.status == DONE:
            raise DomainError(
                "operation_finished", _("A finished operation cannot be moved."), {}, status=409
            )
        if op.status not in OPEN_OPERATION:
            raise DomainError(
                "operation_stopped", _("Its order is on hold or cancelled: resume it first."), {}, status=409
            )
        machine_id = _target_machine(op, machine_id)
        machine = _machine_for(op, machine_id)
        moved = Slot(op.id, op.work_order_id, op.seq, op.workshop_id, machine_id, start, end, "")
        check_move(moved, _machine_slots(machine, start, end), [slot_of(o) for o in _siblings(op)])
        before = {
            "start": op.planned_start.isoformat(),
            "end": op.planned_end.isoformat(),
            "machine_id": op.machine_id,
        }
        # Placed by hand: the scheduler leaves it there until a planner unpins it.
        op.planned_start, op.planned_end, op.machine_id, op.pinned = start, end, machine_id, True
        after = {"start": start.isoformat(), "end": end.isoformat(), "machine_id": machine_id}
        audit.record("operation.moved", "operation", op.id, audit.diff(before, after), actor=actor)
        sync_work_order_window(op.work_order)
    return op


def unpin_operation(op_id: int, actor: Any) -> Operation:
    with write_transaction():
        op = _locked_operation(op_id)
        if op.pinned:
            op.pinned = False
            audit.record("operation.unpinned", "operation", op.id, {"pinned": [True, False]}, actor=actor)
    return op


def _locked_operation(op_id: int) -> Operation:
    op = db.session.scalars(select(Operation).where(Operation.id == op_id).with_for_update()).first()
    if op is None:
        raise NotFound(_("Operation"), op_id)
    return op


def _target_machine(op: Operation, machine_id: Any) -> int | None:
    if machine_id is KEEP_MACHINE:
        return op.machine_id
    if machine_id is None and op.machine_id is not None:
        raise DomainError(
            "machine_required",
            _("An operation on a machine stays on a machine: choose one."),
            {"machine_id": _("Choose a machine.")},
        )
    return machine_id


def _machine_for(op: Operation, machine_id: int | None) -> Machine | None:
    if machine_id is None:
        return None
    # Locking the machine row serialises two planners dropping onto the same machine (PostgreSQL);
    # on SQLite the write transaction already runs alone.
    machine = db.session.scalars(select(Machine).where(Machine.id == machine_id).with_for_update()).first()
    if machine is None or not machine.active:
        raise DomainError(
            "unknown_machine", _("There is no such machine."), {"machine_id": _("Unknown machine.")}
        )
    if machine.workshop_id != op.workshop_id:
        raise DomainError(
            "wrong_workshop",
            _("Machine %(machine)s is not in this operation's workshop.", machine=machine.code),
            {"machine_id": _("Machine of another workshop.")},
        )
    return machine


def _machine_slots(machine: Machine | None, start: datetime, end: datetime) -> list[Slot]:
    if machine is None:
        return []
    near = select(Operation).where(
        Operation.machine_id == machine.id,
        Operation.planned_start < end,
        Operation.planned_end > start,
        Operation.status.in_(ON_MACHINE),
    )
    return [slot_of(op) for op in db.session.scalars(near.options(joinedload(Operation.work_order)))]


def _siblings(op: Operation) -> list[Operation]:
    return [o for o in op.work_order.operations if o.id != op.id]


def sync_work_order_window(work_order: WorkOrder) -> None:
    """The work order spans its operations, so lists and the kitting zone see the new dates."""
    ops = work_order.operations
    if ops:
        work_order.planned_start = min(o.planned_start for o in ops)
        work_order.planned_end = max(o.planned_end for o in ops)
