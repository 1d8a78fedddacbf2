"""What the dashboards read from quality (DESIGN §7) and kitting (§5): passed first-article inspections
per order, first-pass yield per month and the kitting alert zone.

Each function answers None when the part of the quality module it needs is not in this build: the
dashboards then show "—", never a made-up number."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from domain.kpi.buckets import Bounds, month_bucket, window
from domain.kpi.periods import plant_date
from extensions import db


def passed_first_article(order_ids: Iterable[int]) -> set[int] | None:
    """Which of these orders have passed their first-article inspection (every work order's latest
    first-article inspection passed; an order without work orders has not)."""
    try:
        from domain.quality.stage_gate import passed_orders
    except ImportError:
        return None
    ids = list(order_ids)
    return passed_orders(ids) if ids else set()


def first_pass_by_month(bounds: Bounds) -> dict[str, tuple[int, int]] | None:
    """{month: (inspected, passed first time)}: work orders whose first final inspection fell in the
    month, and how many passed it. Quality's rule (domain/quality/first_pass_yield.py): a work order's
    first inspection of a kind is its attempt 1 (inspection_service numbers attempts per work order and
    kind; a re-inspection after rework never counts); grouped here in one query because the KPI page
    reads a year of inspections at once."""
    try:
        from domain.quality.inspections import FINAL, Inspection
    except ImportError:
        return None
    start, end = window(bounds)
    bucket = month_bucket(Inspection.at, bounds)
    rows = db.session.execute(
        select(
            bucket,
            func.count(),
            func.sum(case((Inspection.passed.is_(True), 1), else_=0)),
        )
        .where(Inspection.kind == FINAL, Inspection.attempt == 1, Inspection.at >= start, Inspection.at < end)
        .group_by(bucket)
    )
    return {month: (int(n), int(good or 0)) for month, n, good in rows if month}


def kitting_alerts(zone: ZoneInfo, limit: int) -> dict[str, Any] | None:
    """The kitting alert zone (DESIGN §5, domain/kitting): unfinished work orders starting within 7 days
    (or already due to have started) kitted below 100 %, earliest first, with the missing SKUs."""
    try:
        from domain.kitting.service import alert_zone
    except ImportError:
        return None
    alerts = alert_zone()
    return {
        "total": len(alerts),
        "work_orders": [
            {
                "number": k.number,
                "order": k.order,
                "product": k.product,
                "planned_start": plant_date(k.planned_start, zone).isoformat() if k.planned_start else None,
                "kitting_rate": float(k.rate),
                "missing": [
                    {"sku": m.sku, "short": _plain(m.status.short), "unit": m.unit} for m in k.missing
                ],
            }
            for k in alerts[:limit]
        ],
    }


def _plain(quantity: Decimal) -> str:
    """2000.000 → "2000": JSON-safe (Socket.IO's encoder knows no Decimal) and as a person writes it."""
    text = f"{quantity:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
