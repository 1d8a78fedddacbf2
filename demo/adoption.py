"""Demo data for adoption (DESIGN §10): the submission log behind the demo orders, so the entry-error
points and the missing-information rate show a history. Each order the demo confirmed was submitted
by whoever confirmed it, at that moment; about one in five was first refused for a missing drawing."""

import random
from datetime import timedelta, tzinfo

from sqlalchemy import select

from domain.clock import plant_month
from domain.orders.compliance_rules import OrderSubmission
from domain.orders.models import OrderStageEvent
from extensions import db

REFUSED_SHARE = 0.2


def seed_adoption(zone: tzinfo, rng: random.Random) -> int:
    """Adds the submissions to the session (the caller commits); returns how many."""
    confirmations = db.session.execute(
        select(OrderStageEvent.order_id, OrderStageEvent.user_id, OrderStageEvent.at)
        .where(OrderStageEvent.to_stage == "confirmed")
        .order_by(OrderStageEvent.id)
    ).all()
    rows = []
    for order_id, user_id, at in confirmations:
        if rng.random() < REFUSED_SHARE:
            refused_at = at - timedelta(minutes=rng.randrange(20, 240))
            rows.append(_submission(order_id, user_id, refused_at, zone, ["sample_drawing"]))
        rows.append(_submission(order_id, user_id, at, zone, []))
    db.session.add_all(rows)
    return len(rows)


def _submission(order_id: int, user_id: int | None, at, zone: tzinfo, failed: list[str]) -> OrderSubmission:
    month = plant_month(at, zone)
    return OrderSubmission(
        order_id=order_id, user_id=user_id, at=at, month=month, failed_count=len(failed), failed=failed
    )
