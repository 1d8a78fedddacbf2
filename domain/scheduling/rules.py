"""Gantt rules of DESIGN §4 on plain values: where an operation may be moved by hand.

An operation occupies one machine (or, before it is given one, its workshop) from `start` to `end`.
Two rules hold on every plan: no two operations overlap on one machine, and the operations of one
work order run in `seq` order (an operation starts no earlier than its predecessor ends and ends no
later than its successor starts). A move that breaks either is refused with the reason, so the chart
can put the bar back and say why.
"""

from collections.abc import Iterable
from dataclasses import dataclass
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
