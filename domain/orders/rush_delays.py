"""The orders an inserted rush order delays, with their new finish dates (DESIGN §3.3).

Until production scheduling exists (issue 4), the rule is:
- the queue is every order in stage `scheduling` or `in_production` (not rush itself) whose product's
  routing uses a workshop the rush product's routing uses;
- the rush order goes ahead of each queued order due after it, or due the same day with a lower
  priority (A before B before C); orders due earlier keep their place;
- an order it goes ahead of is delayed by the rush order's machine time in the workshops the two share
  (setup minutes + quantity × seconds per unit, per routing step), in working days of
  `RushSettings.workday_hours`, rounded up; its planned finish is taken to be its due date, so the
  new finish date is the due date plus that delay.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from domain.masterdata import RoutingStep
from domain.orders.models import PRIORITIES, Order
from extensions import db

QUEUE_STAGES = ("scheduling", "in_production")


@dataclass(frozen=True)
class DelayedOrder:
    order: Order
    delay_days: int
    new_finish: date
    workshops: tuple[int, ...]

    def as_dict(self) -> dict:
        return {
            "order_id": self.order.id,
            "number": self.order.number,
            "due_date": self.order.due_date.isoformat(),
            "priority": self.order.priority,
            "delay_days": self.delay_days,
            "new_finish": self.new_finish.isoformat(),
        }


def minutes_by_workshop(product_id: int, quantity: Decimal) -> dict[int, Decimal]:
    """The product's machine minutes per workshop for `quantity` units."""
    steps = db.session.execute(select(RoutingStep).where(RoutingStep.product_id == product_id)).scalars()
    out: dict[int, Decimal] = defaultdict(Decimal)
    for step in steps:
        out[step.workshop_id] += Decimal(step.setup_minutes) + quantity * step.seconds_per_unit / 60
    return dict(out)


def _goes_ahead_of(due: date, priority: str):
    """SQL condition: the queued order is due after the rush, or the same day with a lower priority."""
    lower = PRIORITIES[PRIORITIES.index(priority) + 1 :] if priority in PRIORITIES else ()
    return or_(Order.due_date > due, and_(Order.due_date == due, Order.priority.in_(lower)))


def delayed_orders(rush: Order, due: date, workday_hours: Decimal) -> list[DelayedOrder]:
    rush_minutes = minutes_by_workshop(rush.product_id, rush.quantity)
    if not rush_minutes:
        return []
    queued = (
        select(Order, RoutingStep.workshop_id)
        .join(RoutingStep, RoutingStep.product_id == Order.product_id)
        .options(joinedload(Order.customer), joinedload(Order.product))
        .where(
            Order.stage.in_(QUEUE_STAGES),
            Order.id != rush.id,
            Order.is_rush.is_(False),
            RoutingStep.workshop_id.in_(rush_minutes),
            _goes_ahead_of(due, "A"),  # an inserted rush order runs as priority A
        )
        .order_by(Order.due_date, Order.priority, Order.id)
    )
    shared: dict[int, set[int]] = defaultdict(set)
    orders: dict[int, Order] = {}
    for order, workshop_id in db.session.execute(queued).unique():
        orders[order.id] = order
        shared[order.id].add(workshop_id)
    minutes_per_day = workday_hours * 60
    result = []
    for order_id, order in orders.items():
        minutes = sum((rush_minutes[w] for w in shared[order_id]), Decimal(0))
        days = math.ceil(minutes / minutes_per_day) if minutes > 0 else 0
        result.append(
            DelayedOrder(order, days, order.due_date + timedelta(days=days), tuple(sorted(shared[order_id])))
        )
    return result
