"""First-pass yield (直通率, DESIGN §7, §9): of the work orders inspected, the share whose first
inspection of a kind passed, with no rework. Grouped per month (of that first inspection, in the plant's
timezone), per product or per workshop (the workshop of the work order's team)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

GROUPINGS = ("month", "product", "workshop")


@dataclass(frozen=True)
class Attempt:
    """One inspection, as the rule needs it."""

    work_order_id: int
    kind: str
    at: datetime
    passed: bool
    month: str  # YYYY-MM in the plant's timezone
    product: str
    workshop: str


@dataclass(frozen=True)
class YieldRow:
    key: str
    first_pass: int
    inspected: int

    @property
    def rate(self) -> Decimal:
        if not self.inspected:
            return Decimal(0)
        return (Decimal(self.first_pass) / Decimal(self.inspected)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def first_attempts(attempts: Iterable[Attempt]) -> list[Attempt]:
    """The earliest inspection of each (work order, kind)."""
    first: dict[tuple[int, str], Attempt] = {}
    for attempt in attempts:
        key = (attempt.work_order_id, attempt.kind)
        if key not in first or attempt.at < first[key].at:
            first[key] = attempt
    return list(first.values())


def first_pass_yield(attempts: Iterable[Attempt], by: str = "month") -> list[YieldRow]:
    if by not in GROUPINGS:
        raise ValueError(f"group by one of {GROUPINGS}")
    totals: dict[str, list[int]] = {}
    for attempt in first_attempts(attempts):
        counts = totals.setdefault(getattr(attempt, by), [0, 0])
        counts[0] += attempt.passed
        counts[1] += 1
    return [YieldRow(key, passed, total) for key, (passed, total) in sorted(totals.items())]
