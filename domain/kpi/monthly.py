"""Monthly KPIs from recorded data: OHDI with its four terms (DESIGN §9) and the missing-information
rate (资料缺失率, §3.1), per plant month."""

import threading
import time
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, case, cast, func, or_, select

from domain.clock import plant_now, utcnow
from domain.kpi import ohdi, quality_facts, service_facts
from domain.kpi.buckets import month_bucket, window
from domain.kpi.periods import last_months, month_bounds_utc
from domain.orders.changes import ChangeNotice
from domain.orders.compliance_rules import OrderSubmission
from domain.orders.models import Order, OrderStageEvent
from domain.stage_machine import SHIPPED
from extensions import db


def _end_of_due_day(zone: ZoneInfo, dialect: str) -> Any:
    """SQL: the UTC instant the due date ends in the plant. The zone's current UTC offset is used: exact
    for zones without daylight saving (Asia/Shanghai); elsewhere a shipment within an hour of midnight
    may count on the other side during half of the year."""
    offset = plant_now(zone).utcoffset() or timedelta(0)
    minutes = int((timedelta(days=1) - offset).total_seconds() // 60)
    if dialect == "sqlite":
        return func.datetime(Order.due_date, f"{minutes:+d} minutes")
    return cast(Order.due_date, DateTime) + timedelta(minutes=minutes)


def _deliveries(bounds, zone: ZoneInfo) -> dict[str, tuple[int, int]]:
    """{month: (orders shipped, shipped on or before the due date)}: the stage event into `shipped`
    dates the delivery, in the plant's calendar."""
    start, end = window(bounds)
    bucket = month_bucket(OrderStageEvent.at, bounds)
    on_time = case((OrderStageEvent.at < _end_of_due_day(zone, db.engine.dialect.name), 1), else_=0)
    rows = db.session.execute(
        select(bucket, func.count(), func.sum(on_time))
        .join(Order, Order.id == OrderStageEvent.order_id)
        .where(OrderStageEvent.to_stage == SHIPPED, OrderStageEvent.at >= start, OrderStageEvent.at < end)
        .group_by(bucket)
    )
    return {month: (int(shipped), int(good or 0)) for month, shipped, good in rows if month}


def _change_responses(bounds) -> dict[str, tuple[int, float]]:
    """{month: (changes completed, total response seconds)}, by the month of the last acknowledgement."""
    start, end = window(bounds)
    bucket = month_bucket(ChangeNotice.completed_at, bounds)
    rows = db.session.execute(
        select(bucket, func.count(), func.sum(ChangeNotice.response_seconds))
        .where(
            ChangeNotice.completed_at >= start,
            ChangeNotice.completed_at < end,
            ChangeNotice.response_seconds.is_not(None),
        )
        .group_by(bucket)
    )
    return {month: (int(n), float(total or 0)) for month, n, total in rows if month}


def _open_changes(bounds) -> dict[str, tuple[int, float]]:
    """{month: (changes unacknowledged at its end, seconds waited by then)} (DESIGN §3.2): the notices
    issued before the last month's end and not completed before the first month's end, in one query."""
    now = utcnow()
    first_cutoff = min(min(end for _start, end in bounds.values()), now)
    _start, last_end = window(bounds)
    rows = db.session.execute(
        select(ChangeNotice.created_at, ChangeNotice.completed_at).where(
            ChangeNotice.created_at < min(last_end, now),
            or_(ChangeNotice.completed_at.is_(None), ChangeNotice.completed_at >= first_cutoff),
        )
    )
    return ohdi.open_at_month_ends(((issued, completed) for issued, completed in rows), bounds, now)


def _read_facts(bounds, zone: ZoneInfo) -> dict[str, ohdi.MonthFacts]:
    """One grouped query per source over the months in `bounds`."""
    deliveries = _deliveries(bounds, zone)
    responses = _change_responses(bounds)
    still_open = _open_changes(bounds)
    inspections = quality_facts.first_pass_by_month(bounds)
    ratings = service_facts.ratings_by_month(bounds)
    facts = {}
    for month in bounds:
        shipped, on_time = deliveries.get(month, (0, 0))
        changes, seconds = responses.get(month, (0, 0.0))
        inspected, passed = (inspections or {}).get(month, (0, 0))
        rated, rating_total = (ratings or {}).get(month, (0, 0))
        waiting, waited = still_open.get(month, (0, 0.0))
        facts[month] = ohdi.MonthFacts(
            month,
            shipped,
            on_time,
            None if inspections is None else inspected,
            None if inspections is None else passed,
            changes,
            seconds,
            None if ratings is None else rated,
            rating_total,
            waiting,
            waited,
        )
    return facts


class ClosedMonths:
    """Figures of months that are over, kept for `ttl` seconds. Records are stamped with the moment
    they are made (shipment, inspection, acknowledgement, closing a ticket, a submission), so a closed
    month only changes through a backfill or an import; the current month is always read afresh."""

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._kept: dict[tuple[str, str, str], tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, kind: str, zone: ZoneInfo, month: str) -> Any:
        with self._lock:
            found = self._kept.get((kind, zone.key, month))
        return found[1] if found and found[0] > time.monotonic() else None

    def put(self, kind: str, zone: ZoneInfo, month: str, value: Any) -> None:
        with self._lock:
            self._kept[(kind, zone.key, month)] = (time.monotonic() + self.ttl, value)

    def months(self, kind: str, zone: ZoneInfo, wanted: list[str], read) -> dict[str, Any]:
        """{month: value} for `wanted` (oldest first, the last being the current month): kept values
        for closed months, `read(months)` → {month: value} for the rest, which are then kept."""
        known = {m: v for m in wanted[:-1] if (v := self.get(kind, zone, m)) is not None}
        fresh = read([m for m in wanted if m not in known])
        for month, value in fresh.items():
            if month != wanted[-1]:
                self.put(kind, zone, month, value)
        return {**known, **fresh}


def month_facts(
    today: date, months: int, zone: ZoneInfo, closed: ClosedMonths | None = None
) -> list[ohdi.MonthFacts]:
    wanted = last_months(today, months)

    def read(to_read: list[str]) -> dict[str, ohdi.MonthFacts]:
        return _read_facts({m: month_bounds_utc(m, zone) for m in to_read}, zone) if to_read else {}

    found = closed.months("ohdi", zone, wanted, read) if closed else read(wanted)
    return [found[m] for m in wanted]


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def ohdi_series(
    today: date, months: int, zone: ZoneInfo, closed: ClosedMonths | None = None
) -> dict[str, Any]:
    results = [ohdi.compute(f) for f in month_facts(today, months, zone, closed)]
    trend = ohdi.trend(results)
    return {
        "weights": ohdi.WEIGHTS,
        "target_response_hours": ohdi.TARGET_RESPONSE_HOURS,
        "months": [
            {
                "month": r.month,
                "ohdi": _rounded(r.value),
                "trend": _rounded(delta),
                "terms": {name: _rounded(value) for name, value in r.terms().items()},
                "mean_change_response_hours": _rounded(r.change_response_hours, 2),
                "mean_rating": _rounded(r.mean_rating, 2),
                "facts": {
                    "shipped": r.facts.shipped,
                    "shipped_on_time": r.facts.shipped_on_time,
                    "inspected": r.facts.inspected,
                    "passed_first_time": r.facts.passed_first_time,
                    "changes_completed": r.facts.changes_completed,
                    "changes_open": r.facts.changes_open,
                    "ratings": r.facts.ratings,
                },
            }
            for r, delta in zip(results, trend, strict=True)
        ],
    }


def _submissions(months: list[str]) -> dict[str, tuple[int, int]]:
    """{month: (submissions, with at least one failed rule)}: the rate of compliance_rules.py, read
    for the given months only (a submission is stamped with its plant month when it is made)."""
    if not months:
        return {}
    missing = func.sum(case((OrderSubmission.failed_count > 0, 1), else_=0))
    rows = db.session.execute(
        select(OrderSubmission.month, func.count(), missing)
        .where(OrderSubmission.month.in_(months))
        .group_by(OrderSubmission.month)
    )
    found = {month: (int(n), int(bad or 0)) for month, n, bad in rows}
    return {month: found.get(month, (0, 0)) for month in months}


def missing_information(
    today: date, months: int, zone: ZoneInfo, closed: ClosedMonths | None = None
) -> dict[str, Any]:
    """Share of submissions for review with at least one failed rule (资料缺失率, §3.1), per month."""
    wanted = last_months(today, months)
    found = closed.months("missing", zone, wanted, _submissions) if closed else _submissions(wanted)
    return {
        "months": [
            {
                "month": month,
                "submissions": found[month][0],
                "with_missing": found[month][1],
                "rate": _rounded(found[month][1] / found[month][0]) if found[month][0] else None,
            }
            for month in wanted
        ]
    }
