"""Production progress heatmap (生产进度热力图): workshop × plant day, how loaded each workshop is
(planned machine hours / available machine hours) and how far that planned work has progressed."""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.kpi.periods import utc_midnight

FINISHED, STARTED = "finished", "started"


@dataclass(frozen=True)
class OperationSlot:
    workshop_id: int
    start: datetime  # naive UTC
    end: datetime
    status: str  # pending | started | finished
    done_share: float = 0.0  # for a started operation: good quantity / work order quantity


@dataclass(frozen=True)
class WorkshopRow:
    id: int
    name: str
    machines: int  # active machines; a workshop without machines counts as one line


@dataclass
class Cell:
    planned_hours: float = 0.0
    done_hours: float = 0.0
    capacity_hours: float = 0.0

    @property
    def load(self) -> float | None:
        return self.planned_hours / self.capacity_hours if self.capacity_hours else None

    @property
    def progress(self) -> float | None:
        return self.done_hours / self.planned_hours if self.planned_hours else None


@dataclass
class Heatmap:
    days: list[date]
    workshops: list[WorkshopRow]
    cells: dict[int, list[Cell]] = field(default_factory=dict)  # workshop id → one cell per day


def _done_share(slot: OperationSlot) -> float:
    if slot.status == FINISHED:
        return 1.0
    if slot.status == STARTED:
        return min(1.0, max(0.0, slot.done_share))
    return 0.0


def build(
    slots: Iterable[OperationSlot],
    workshops: list[WorkshopRow],
    first_day: date,
    day_count: int,
    zone: ZoneInfo,
    hours_per_machine: float,
) -> Heatmap:
    """Each operation's planned interval is split over the plant days it covers."""
    days = [first_day + timedelta(days=i) for i in range(day_count)]
    edges = [utc_midnight(day, zone) for day in [*days, first_day + timedelta(days=day_count)]]
    result = Heatmap(days, workshops)
    for row in workshops:
        capacity = max(1, row.machines) * hours_per_machine
        result.cells[row.id] = [Cell(capacity_hours=capacity) for _ in days]
    for slot in slots:
        cells = result.cells.get(slot.workshop_id)
        if cells is None or slot.end <= slot.start:
            continue
        share = _done_share(slot)
        first = max(0, bisect_right(edges, slot.start) - 1)
        last = min(day_count, bisect_left(edges, slot.end))
        for i in range(first, last):
            overlap = (min(slot.end, edges[i + 1]) - max(slot.start, edges[i])).total_seconds()
            if overlap > 0:
                hours = overlap / 3600
                cells[i].planned_hours += hours
                cells[i].done_hours += hours * share
    return result
