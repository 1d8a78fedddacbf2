"""What the KPIs read from after-sales service (DESIGN §8): customer ratings per month and the repair
hot spots (repairs by product model and by the product's age at repair). None when this build has no
service tickets yet, so the KPI page shows "—" rather than a guess."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from domain.kpi.buckets import Bounds, month_bucket, window
from domain.masterdata import Product
from extensions import db

# Age of the product when it came back for repair, in months since it shipped.
AGE_BANDS = ((0, 3, "0-3"), (3, 6, "3-6"), (6, 12, "6-12"), (12, 24, "12-24"), (24, None, "24+"))
HOT_SPOT_MODELS = 10


def _tickets():
    try:
        from domain.service.tickets import ServiceTicket
    except ImportError:
        return None
    return ServiceTicket


def ratings_by_month(bounds: Bounds) -> dict[str, tuple[int, int]] | None:
    """{month: (ratings, sum of ratings)}: a rating counts in the month its ticket was closed."""
    ticket = _tickets()
    if ticket is None:
        return None
    start, end = window(bounds)
    bucket = month_bucket(ticket.closed_at, bounds)
    rows = db.session.execute(
        select(bucket, func.count(), func.sum(ticket.rating))
        .where(ticket.closed_at >= start, ticket.closed_at < end, ticket.rating.is_not(None))
        .group_by(bucket)
    )
    return {month: (int(n), int(total or 0)) for month, n, total in rows if month}


def age_band(months: float | None) -> str:
    if months is None:
        return "unknown"
    for low, high, label in AGE_BANDS:
        if months >= low and (high is None or months < high):
            return label
    return "unknown"


def repair_hot_spots(since: datetime) -> dict[str, Any] | None:
    """Repairs opened since `since`, for the models with the most, split by the product's age."""
    ticket = _tickets()
    if ticket is None:
        return None
    top = db.session.execute(
        select(ticket.product_id, func.count().label("n"))
        .where(ticket.created_at >= since, ticket.product_id.is_not(None))
        .group_by(ticket.product_id)
        .order_by(func.count().desc(), ticket.product_id)
        .limit(HOT_SPOT_MODELS)
    ).all()
    ids = [product_id for product_id, _n in top]
    models = dict(db.session.execute(select(Product.id, Product.model).where(Product.id.in_(ids))).all())
    bands: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = db.session.execute(
        select(ticket.product_id, ticket.ship_date, ticket.created_at).where(
            ticket.created_at >= since, ticket.product_id.in_(ids)
        )
    )
    for product_id, ship_date, created_at in rows:
        age = (created_at.date() - ship_date).days / 30.44 if ship_date else None
        bands[product_id][age_band(age)] += 1
    labels = [label for _low, _high, label in AGE_BANDS] + ["unknown"]
    return {
        "since": since.date().isoformat(),
        "age_bands": labels,
        "models": [
            {"model": models.get(pid, "?"), "repairs": n, "by_age": [bands[pid].get(b, 0) for b in labels]}
            for pid, n in top
        ],
    }
