"""The order fulfilment health index (订单履约健康度指数, OHDI) of DESIGN §9, from a month's recorded facts.

OHDI = on-time delivery rate × 0.4 + first-pass yield × 0.3 + change response score × 0.2
       + customer rating score × 0.1, each term in 0..1:
change response score = min(1, 4 h / mean change response time); rating score = (mean − 1) / 4.
The mean change response time of a month takes the changes completed in it and every change still
unacknowledged at the month's end (or now, in the running month), counted from its issue time until
then (DESIGN §3.2): ignoring a notice weighs at least as much as answering it late.

A term without recorded data is None, never guessed; the index itself is None unless all four
terms have data (a partial sum would look like a bad month)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

WEIGHTS = {"on_time": 0.4, "first_pass_yield": 0.3, "change_response": 0.2, "rating": 0.1}
TARGET_RESPONSE_HOURS = 4.0


@dataclass(frozen=True)
class MonthFacts:
    """What was recorded in one plant month."""

    month: str
    shipped: int = 0  # orders shipped in the month
    shipped_on_time: int = 0  # of those, shipped on or before their due date
    inspected: int | None = None  # first inspections in the month (None: no inspection data at all)
    passed_first_time: int | None = None
    changes_completed: int = 0  # changes whose last acknowledgement fell in the month
    change_seconds_total: float = 0.0
    ratings: int | None = None  # customer ratings given in the month (None: no rating data at all)
    rating_total: float = 0.0
    changes_open: int = 0  # changes still unacknowledged at the month's end (or now)
    open_seconds_total: float = 0.0  # how long each of those had been waiting then


@dataclass(frozen=True)
class OhdiMonth:
    month: str
    on_time_rate: float | None
    first_pass_yield: float | None
    change_response_hours: float | None
    change_response_score: float | None
    mean_rating: float | None
    rating_score: float | None
    value: float | None
    facts: MonthFacts

    def terms(self) -> dict[str, float | None]:
        return {
            "on_time": self.on_time_rate,
            "first_pass_yield": self.first_pass_yield,
            "change_response": self.change_response_score,
            "rating": self.rating_score,
        }


def _share(part: int | None, whole: int | None) -> float | None:
    if not whole or part is None:
        return None
    return min(1.0, max(0.0, part / whole))


def change_response_score(mean_hours: float | None) -> float | None:
    if mean_hours is None:
        return None
    if mean_hours <= 0:
        return 1.0
    return min(1.0, TARGET_RESPONSE_HOURS / mean_hours)


def rating_score(mean_rating: float | None) -> float | None:
    if mean_rating is None:
        return None
    return min(1.0, max(0.0, (mean_rating - 1) / 4))


def index_value(terms: dict[str, float | None]) -> float | None:
    if any(terms[name] is None for name in WEIGHTS):
        return None
    return sum(WEIGHTS[name] * terms[name] for name in WEIGHTS)  # type: ignore[operator]


def open_at_month_ends(
    notices: Iterable[tuple[datetime, datetime | None]],
    bounds: dict[str, tuple[datetime, datetime]],
    now: datetime,
) -> dict[str, tuple[int, float]]:
    """{month: (changes unacknowledged at the month's end, seconds they had waited by then)} from
    (issued, completed or None) pairs; the running month's end is `now`. One clock for all: naive UTC."""
    notices = list(notices)
    found: dict[str, tuple[int, float]] = {}
    for month, (_start, end) in bounds.items():
        cutoff = min(end, now)
        waits = [
            (cutoff - issued).total_seconds()
            for issued, completed in notices
            if issued < cutoff and (completed is None or completed >= cutoff)
        ]
        if waits:
            found[month] = (len(waits), sum(waits))
    return found


def mean_response_hours(facts: MonthFacts) -> float | None:
    """Completed changes by their response time, open ones by their wait so far; None without any."""
    count = facts.changes_completed + facts.changes_open
    if not count:
        return None
    return (facts.change_seconds_total + facts.open_seconds_total) / count / 3600


def compute(facts: MonthFacts) -> OhdiMonth:
    mean_hours = mean_response_hours(facts)
    mean_rating = facts.rating_total / facts.ratings if facts.ratings else None
    on_time = _share(facts.shipped_on_time, facts.shipped)
    fpy = _share(facts.passed_first_time, facts.inspected)
    response = change_response_score(mean_hours)
    rating = rating_score(mean_rating)
    terms = {"on_time": on_time, "first_pass_yield": fpy, "change_response": response, "rating": rating}
    return OhdiMonth(
        facts.month, on_time, fpy, mean_hours, response, mean_rating, rating, index_value(terms), facts
    )


def trend(months: list[OhdiMonth]) -> list[float | None]:
    """Change of the index against the month before (None where either month has no index)."""
    out: list[float | None] = [None]
    for before, after in pairwise(months):
        out.append(
            None if before.value is None or after.value is None else round(after.value - before.value, 6)
        )
    return out[: len(months)]
