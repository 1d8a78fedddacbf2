"""Gantt rules of DESIGN §4 on plain values: where an operation may be moved, and what a rush pushes later.

An operation occupies one machine (or, before it is given one, its workshop) from `start` to `end`.
Two rules hold on every plan: no two operations overlap on one machine, and the operations of one
work order run in `seq` order (an operation starts no earlier than its predecessor ends and ends no
later than its successor starts). A move that breaks either is refused with the reason, so the chart
can put the bar back and say why.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import gettext as _

from domain.errors import DomainError


@dataclass(frozen=True)
class Slot:
    op_id: int
    work_order_id: int
    seq: int
    workshop_id: int
    machine_id: int | None
    start: datetime
    end: datetime
    label: str = ""  # e.g. "WO-20261125-0001 #2", used in refusal messages

    def overlaps(self, other: "Slot") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Pushed:
    op_id: int
    old_start: datetime
    new_start: datetime
    new_end: datetime


def check_move(moved: Slot, machine_ops: Iterable[Slot], siblings: Iterable[Slot]) -> None:
    """Refuse a planned position that overlaps another operation on its machine or breaks the order.

    `machine_ops`: the other operations on `moved.machine_id`; `siblings`: the other operations of the
    same work order. Raises DomainError (409) naming the operation it collides with.
    """
    if moved.end <= moved.start:
        raise DomainError(
            "invalid_interval", _("An operation must end after it starts."), {"end": _("Before the start.")}
        )
    for other in machine_ops:
        if other.op_id != moved.op_id and moved.machine_id is not None and moved.overlaps(other):
            raise DomainError(
                "machine_overlap",
                _(
                    "The machine is already busy with %(other)s at that time.",
                    other=other.label or other.op_id,
                ),
                {"start": _("Overlaps another operation on this machine.")},
                status=409,
            )
    for other in siblings:
        if other.op_id == moved.op_id:
            continue
        if other.seq < moved.seq and moved.start < other.end:
            raise DomainError(
                "operation_order",
                _("This operation cannot start before %(other)s ends.", other=other.label or other.op_id),
                {"start": _("Before the previous operation ends.")},
                status=409,
            )
        if other.seq > moved.seq and moved.end > other.start:
            raise DomainError(
                "operation_order",
                _("This operation must end before %(other)s starts.", other=other.label or other.op_id),
                {"end": _("After the next operation starts.")},
                status=409,
            )


def push_later(inserted: Iterable[Slot], plan: Iterable[Slot]) -> list[Pushed]:
    """Shift the plan so the inserted operations keep their times; return the operations pushed later.

    Operations are visited by start time; each starts at the latest of its planned start, the end of
    the previous operation on its machine and the end of its predecessor in the work order. Durations
    never change and nothing is pulled earlier, so the result is the plan a planner would draw by hand.
    """
    fixed = list(inserted)
    fixed_ids = {slot.op_id for slot in fixed}
    machine_free: dict[int | None, datetime] = {}
    ends: dict[int, dict[int, datetime]] = {}  # work order → seq → planned end
    for slot in fixed:
        ends.setdefault(slot.work_order_id, {})[slot.seq] = slot.end
    pushed: list[Pushed] = []
    queue = sorted((s for s in plan if s.op_id not in fixed_ids), key=lambda s: (s.start, s.seq, s.op_id))
    for slot in queue:
        before = ends.get(slot.work_order_id, {})
        earliest = max(
            [slot.start, machine_free.get(slot.machine_id, slot.start)]
            + [end for seq, end in before.items() if seq < slot.seq]
        )
        earliest = _after_fixed(slot, earliest, fixed)
        moved = replace(slot, start=earliest, end=earliest + (slot.end - slot.start))
        if moved.start > slot.start:
            pushed.append(Pushed(slot.op_id, slot.start, moved.start, moved.end))
        if moved.machine_id is not None:
            machine_free[moved.machine_id] = moved.end
        ends.setdefault(moved.work_order_id, {})[moved.seq] = moved.end
    return pushed


def _after_fixed(slot: Slot, start: datetime, fixed: list[Slot]) -> datetime:
    """The first start at or after `start` where `slot` does not overlap an inserted operation."""
    duration = slot.end - slot.start
    moved = True
    while moved:
        moved = False
        for other in fixed:
            same_machine = slot.machine_id is not None and other.machine_id == slot.machine_id
            if same_machine and start < other.end and other.start < start + duration:
                start, moved = other.end, True
    return start
