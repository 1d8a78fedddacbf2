"""First plan of a work order's operations (pure, no database): each routing step in order, on the
machine of its workshop that is free first, after the step before it. The Gantt moves them later."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

SLOT = timedelta(minutes=15)


@dataclass(frozen=True)
class Step:
    seq: int
    name: str
    workshop_id: int
    setup_minutes: int
    seconds_per_unit: Decimal


@dataclass(frozen=True)
class PlannedOperation:
    seq: int
    name: str
    workshop_id: int
    machine_id: int | None
    start: datetime
    end: datetime


def duration(step: Step, quantity: Decimal) -> timedelta:
    """Setup plus quantity × cycle time, rounded up to the whole minute."""
    seconds = Decimal(step.setup_minutes) * 60 + step.seconds_per_unit * quantity
    return timedelta(minutes=math.ceil(seconds / 60))


def next_slot(at: datetime) -> datetime:
    """The next quarter hour at or after `at`: planners read 10:15, not 10:07:31."""
    floor = at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)
    return floor if floor == at else floor + SLOT


def plan(
    steps: list[Step],
    quantity: Decimal,
    earliest: datetime,
    machines_free_at: dict[int, list[tuple[int, datetime | None]]],
) -> list[PlannedOperation]:
    """`machines_free_at`: workshop id → [(machine id, end of its last planned operation or None)].
    A workshop without machines gets operations without a machine, planned back to back."""
    free = {ws: dict(pairs) for ws, pairs in machines_free_at.items()}
    out: list[PlannedOperation] = []
    ready = next_slot(earliest)
    for step in sorted(steps, key=lambda s: s.seq):
        machine_id, start = _first_free(free.get(step.workshop_id, {}), ready)
        end = start + duration(step, quantity)
        if machine_id is not None:
            free[step.workshop_id][machine_id] = end
        out.append(PlannedOperation(step.seq, step.name, step.workshop_id, machine_id, start, end))
        ready = end
    return out


def _first_free(machines: dict[int, datetime | None], ready: datetime) -> tuple[int | None, datetime]:
    if not machines:
        return None, ready
    machine_id = min(machines, key=lambda m: (max(ready, machines[m] or ready), m))
    return machine_id, max(ready, machines[machine_id] or ready)
