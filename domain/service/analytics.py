"""Repair analytics (DESIGN §8): repairs by product model and age since shipment, and the models
where faults cluster (repairs per shipped unit, where shipments are recorded)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select

from domain.masterdata import Product
from domain.service.serials import shipped_units_by_product
from domain.service.tickets import ServiceTicket
from domain.service.warranty import age_months
from extensions import db

# Age since shipment, in whole months: [low, high) per bucket; the last is open-ended.
BUCKETS = ((0, 3), (3, 6), (6, 12), (12, 24), (24, None))
UNKNOWN_AGE = "unknown"
CLUSTER_SHARE = 2.0  # a model with this many times its fair share of repairs is a cluster


def bucket_label(months: int | None) -> str:
    if months is None:
        return UNKNOWN_AGE
    for low, high in BUCKETS:
        if high is None or months < high:
            return f"{low}-{high}" if high is not None else f"{low}+"
    return UNKNOWN_AGE


BUCKET_LABELS = [bucket_label(low) for low, _ in BUCKETS] + [UNKNOWN_AGE]


@dataclass
class ModelRepairs:
    model: str
    name: str
    repairs: int
    by_age: dict[str, int] = field(default_factory=dict)
    shipped: int | None = None  # units shipped, when shipments are recorded
    rate: float | None = None  # repairs per shipped unit
    share: float = 0.0  # of all repairs
    cluster: bool = False
    early: int = 0  # repairs within 6 months of shipment: a sign of a production fault


@dataclass(frozen=True)
class RepairTable:
    since: date | None
    total: int
    buckets: list[str]
    models: list[ModelRepairs]


def repairs_by_model(since: date | None = None) -> RepairTable:
    """Tickets (any state) per product model and age bucket; one query, bucketed in Python."""
    query = select(Product.model, Product.name, ServiceTicket.ship_date, ServiceTicket.created_at).join(
        Product, Product.id == ServiceTicket.product_id
    )
    if since is not None:
        query = query.where(ServiceTicket.created_at >= datetime.combine(since, time.min))
    counts: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, str] = {}
    for model, name, ship_date, created_at in db.session.execute(query):
        names[model] = name
        age = age_months(ship_date, created_at.date()) if ship_date else None
        counts[model][bucket_label(age)] += 1
    return summarise(counts, names, _shipped_by_model(), since)


def summarise(
    counts: dict[str, Counter], names: dict[str, str], shipped: dict[str, int], since: date | None = None
) -> RepairTable:
    """Pure: shares, rates and the cluster flag from the per-model counts."""
    total = sum(sum(c.values()) for c in counts.values())
    models = []
    fair = 1 / len(counts) if counts else 0
    rates = {m: sum(c.values()) / shipped[m] for m, c in counts.items() if shipped.get(m)}
    mean_rate = sum(rates.values()) / len(rates) if rates else None
    for model, by_age in counts.items():
        repairs = sum(by_age.values())
        row = ModelRepairs(
            model, names.get(model, model), repairs, {b: by_age.get(b, 0) for b in BUCKET_LABELS}
        )
        row.share = repairs / total if total else 0.0
        row.early = by_age.get(BUCKET_LABELS[0], 0) + by_age.get(BUCKET_LABELS[1], 0)
        if model in rates:
            row.shipped, row.rate = shipped[model], rates[model]
            row.cluster = mean_rate is not None and len(rates) > 1 and row.rate >= CLUSTER_SHARE * mean_rate
        else:
            row.cluster = len(counts) > 1 and row.share >= CLUSTER_SHARE * fair
        models.append(row)
    models.sort(key=lambda r: (not r.cluster, -(r.rate or 0), -r.repairs, r.model))
    return RepairTable(since, total, BUCKET_LABELS, models)


def _shipped_by_model() -> dict[str, int]:
    units = shipped_units_by_product()
    if not units:
        return {}
    rows = db.session.execute(select(Product.id, Product.model).where(Product.id.in_(units)))
    return {model: units[product_id] for product_id, model in rows}
