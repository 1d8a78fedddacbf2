"""The demo plant's 200 orders, planned as plain values: every stage and priority, believable dates and
quantities, and the stage events each order went through (who moved it, and when)."""

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from demo.catalogue import COLOUR_NOTES, ProductSpec
from demo.engineering import packing
from domain.clock import from_plant
from domain.stage_machine import (
    AWAITING_QC,
    CANCELLED,
    CONFIRMED,
    FORWARD,
    IN_PRODUCTION,
    ON_HOLD,
    QUOTE,
    SCHEDULING,
    SHIPPED,
)

STAGE_QUOTAS = {
    QUOTE: 22,
    CONFIRMED: 22,
    SCHEDULING: 24,
    IN_PRODUCTION: 40,
    AWAITING_QC: 18,
    SHIPPED: 55,
    ON_HOLD: 4,  # customers who paused before production started
    CANCELLED: 15,
}
# Why the demo's held and cancelled orders stopped (the reason every stop carries, DESIGN §3).
STOP_REASONS = {
    ON_HOLD: ("客户暂停，等模具改好再通知", "客户库存积压，暂缓交货", "等客户确认新包装"),
    CANCELLED: ("客户取消订单", "价格未谈拢", "客户改下新订单替代"),
}
PRIORITY_QUOTAS = {"A": 36, "B": 100, "C": 64}
# Days an order typically waits before moving to each stage.
GAP_DAYS = {
    CONFIRMED: (1, 4),  # the customer reviews the quote
    SCHEDULING: (1, 3),
    IN_PRODUCTION: (1, 4),
    AWAITING_QC: (3, 12),  # the production run itself
    SHIPPED: (1, 3),
}
CANCEL_GAP_DAYS = (1, 10)
# Who moves an order into each stage (usernames of demo users with the role the stage machine wants).
ACTORS: dict[str, tuple[str, ...]] = {
    QUOTE: ("sales",),
    CONFIRMED: ("sales",),
    SCHEDULING: ("planner",),
    IN_PRODUCTION: ("planner",),
    AWAITING_QC: ("leader", "leader2"),  # the molding teams report their work orders done
    SHIPPED: ("warehouse",),
    ON_HOLD: ("sales",),
    CANCELLED: ("sales", "sales", "sales", "vp"),
}
OPEN_WORK = (SCHEDULING, IN_PRODUCTION, AWAITING_QC)  # the stages an order can be late in
WORKDAY_MINUTES = (8 * 60 + 30, 18 * 60)


@dataclass(frozen=True)
class CustomerPick:
    code: str
    purchase_12m: int
    blocked: bool


@dataclass(frozen=True)
class EventPlan:
    from_stage: str | None
    to_stage: str
    at: datetime  # naive UTC, like every timestamp in the database
    username: str


@dataclass
class OrderPlan:
    customer: str
    product: str
    quantity: int
    due: date
    priority: str
    stage: str
    flame_grade: str | None
    packaging: str | None
    color_notes: str
    original_ref: str
    events: list[EventPlan]
    created_on: date  # the plant-local day of creation: the date in the order number
    number: str = ""

    @property
    def created_at(self) -> datetime:
        return self.events[0].at


# ---- the parts of one order ----


def stage_path(stage: str, rng: random.Random) -> list[str]:
    """The stages an order passed through to reach `stage`; a cancelled order was mostly cancelled early."""
    if stage == ON_HOLD:
        return [QUOTE, CONFIRMED, ON_HOLD]
    if stage != CANCELLED:
        return list(FORWARD[: FORWARD.index(stage) + 1])
    cancelled_in = rng.choices(FORWARD[:-1], weights=(6, 4, 2, 1, 1))[0]
    return [*FORWARD[: FORWARD.index(cancelled_in) + 1], CANCELLED]


def due_and_last_move(stage: str, today: date, rng: random.Random) -> tuple[date, date]:
    """The due date and the day the order reached its current stage. Shipped orders were due in the
    past; a few open ones are overdue, some due within 3 days, most due weeks ahead."""
    days = timedelta
    if stage == SHIPPED:
        shipped = today - days(rng.randint(2, 75))
        return min(today - days(1), shipped + days(rng.randint(-2, 5))), shipped
    if stage == QUOTE:
        return today + days(rng.randint(10, 60)), today - days(rng.randint(1, 12))
    if stage == CANCELLED:
        last = today - days(rng.randint(1, 40))
        return last + days(rng.randint(5, 45)), last
    last, roll = today - days(rng.randint(1, 6)), rng.random()
    if stage in OPEN_WORK and roll < 0.14:
        return today - days(rng.randint(1, 7)), last
    if roll < 0.32:
        return today + days(rng.randint(0, 3)), last
    return today + days(rng.randint(7, 56)), last


def move_days(path: Sequence[str], last: date, due: date, rng: random.Random) -> list[date]:
    """One day per stage of `path`, strictly increasing and ending on `last`; an order is created
    at least a week before it is due."""
    result = [last]
    for stage in reversed(path[1:]):
        low, high = CANCEL_GAP_DAYS if stage in (CANCELLED, ON_HOLD) else GAP_DAYS[stage]
        result.append(result[-1] - timedelta(days=rng.randint(low, high)))
    result.reverse()
    result[0] = min(result[0], due - timedelta(days=rng.randint(7, 15)))
    return result


def at_work(day: date, zone: tzinfo, rng: random.Random) -> datetime:
    """A moment in the working day (plant time) as naive UTC."""
    minutes = rng.randint(*WORKDAY_MINUTES)
    return from_plant(datetime.combine(day, time(minutes // 60, minutes % 60)), zone)


def quantity_for(product: ProductSpec, rng: random.Random) -> int:
    """Small parts sell by the tens of thousands, big housings by the hundreds."""
    if product.grams < 5:
        return rng.choice((10_000, 20_000, 30_000, 50_000, 80_000, 100_000))
    if product.grams < 30:
        return rng.randint(2, 20) * 1000
    if product.grams < 100:
        return rng.randint(2, 20) * 500
    return rng.randint(3, 50) * 100


# ---- the whole order book ----


def portfolios(
    customers: Sequence[CustomerPick], products: Sequence[ProductSpec], rng: random.Random
) -> dict[str, list[ProductSpec]]:
    """The few models each customer buys; a big customer buys more of them."""
    return {
        c.code: rng.sample(list(products), 6 if c.purchase_12m >= 2_000_000 else rng.randint(3, 5))
        for c in customers
    }


def _shuffled(quotas: dict[str, int], rng: random.Random) -> list[str]:
    items = [key for key, count in quotas.items() for _ in range(count)]
    rng.shuffle(items)
    return items


def plan_order(
    stage: str,
    priority: str,
    customer: CustomerPick,
    product: ProductSpec,
    today: date,
    zone: tzinfo,
    rng: random.Random,
) -> OrderPlan:
    path = stage_path(stage, rng)
    due, last = due_and_last_move(stage, today, rng)
    days = move_days(path, last, due, rng)
    events = [
        EventPlan(before, after, at_work(day, zone, rng), rng.choice(ACTORS[after]))
        for before, after, day in zip([None, *path[:-1]], path, days, strict=True)
    ]
    incomplete = stage == QUOTE and rng.random() < 0.25  # a quote still missing what the rules ask for
    return OrderPlan(
        customer=customer.code,
        product=product.model,
        quantity=quantity_for(product, rng),
        due=due,
        priority=priority,
        stage=stage,
        flame_grade=None if incomplete and rng.random() < 0.5 else product.flame,
        packaging=None if incomplete and rng.random() < 0.6 else packing(product).text,
        color_notes=rng.choice(COLOUR_NOTES[product.colour]),
        original_ref=f"PO{days[0]:%y%m}-{rng.randint(1, 9999):04d}",
        events=events,
        created_on=days[0],
    )


def plan_orders(
    customers: Sequence[CustomerPick],
    products: Sequence[ProductSpec],
    today: date,
    zone: tzinfo,
    rng: random.Random,
) -> list[OrderPlan]:
    """The order book, numbered SO-YYYYMMDD-NNNN by creation day; a blocked customer's orders are only
    quotes (the compliance rules stop them) or cancelled."""
    bought = portfolios(customers, products, rng)
    weights = [math.sqrt(c.purchase_12m) for c in customers]
    open_to = [(c, w) for c, w in zip(customers, weights, strict=True) if not c.blocked]
    everyone = list(zip(customers, weights, strict=True))
    unquoted_blocked = [c for c in customers if c.blocked]  # each gets a quote the rules will stop
    plans = []
    for stage, priority in zip(_shuffled(STAGE_QUOTAS, rng), _shuffled(PRIORITY_QUOTAS, rng), strict=True):
        if stage == QUOTE and unquoted_blocked:
            customer = unquoted_blocked.pop()
        else:
            pool = everyone if stage in (QUOTE, CANCELLED) else open_to
            customer = rng.choices([c for c, _ in pool], weights=[w for _, w in pool])[0]
        product = rng.choice(bought[customer.code])
        plans.append(plan_order(stage, priority, customer, product, today, zone, rng))
    number_by_creation(plans)
    return plans


def number_by_creation(plans: list[OrderPlan]) -> None:
    """SO-YYYYMMDD-NNNN: the plant-local creation day and that day's serial in order of creation."""
    serials: Counter[date] = Counter()
    for plan in sorted(plans, key=lambda p: p.created_at):
        serials[plan.created_on] += 1
        plan.number = f"SO-{plan.created_on:%Y%m%d}-{serials[plan.created_on]:04d}"
