"""The demo plant's plain rules, without an app: products, prices, fences and the planned order book."""

import random
import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from shapely.geometry import shape

from demo.catalogue import CUSTOMERS, PRODUCTS, SKU_BY_CODE, WAREHOUSES
from demo.engineering import bom_lines, footprint, gross_margin, routing, unit_cost, unit_price
from demo.orders import PRIORITY_QUOTAS, STAGE_QUOTAS, CustomerPick, plan_orders, stage_path
from domain.stage_machine import CANCELLED, FORWARD, OPEN_STAGES, QUOTE, SHIPPED, STAGES, is_allowed
from geofence.fences import across_m, parse_fence

TODAY = date(2025, 3, 14)
ZONE = ZoneInfo("Asia/Shanghai")
PICKS = [CustomerPick(code, purchase, blocked) for code, _, _, _, _, purchase, blocked in CUSTOMERS]


def plans(seed: int = 7):
    return plan_orders(PICKS, PRODUCTS, TODAY, ZONE, random.Random(seed))


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.model)
def test_every_demo_product_has_three_to_six_bom_lines_of_distinct_known_skus(product):
    lines = bom_lines(product)
    assert 3 <= len(lines) <= 6
    assert len({line.sku for line in lines}) == len(lines)
    assert all(line.sku in SKU_BY_CODE for line in lines)
    assert all(line.qty_per > 0 and line.qty_per == line.qty_per.quantize(Decimal("0.001")) for line in lines)


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.model)
def test_every_demo_routing_molds_first_and_ends_in_assembly_in_two_to_four_steps(product):
    steps = routing(product)
    assert 2 <= len(steps) <= 4
    assert [s.seq for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0].workshop == "WS-IM" and steps[-1].workshop == "WS-AS"
    assert all(s.seconds_per_unit > 0 for s in steps)


@pytest.mark.parametrize("margin", [Decimal("0.035"), Decimal("0.16"), Decimal("0.295")])
def test_price_earns_the_chosen_margin_on_every_product(margin):
    for product in PRODUCTS:
        cost = unit_cost(product)
        assert cost > 0
        assert abs(gross_margin(unit_price(cost, margin), cost) - margin) < Decimal("0.001")


def test_demo_fences_pass_the_fence_rules_unchanged_and_stand_in_dongguan():
    for spec in WAREHOUSES:
        fence = footprint(spec.origin, spec.corners_m, spec.bearing_deg)
        assert parse_fence(fence) == fence
        polygon = shape(fence)
        assert polygon.is_valid
        assert 100 < across_m(polygon) < 500
        assert 113.5 < polygon.centroid.x < 114.3 and 22.6 < polygon.centroid.y < 23.2


def test_order_book_is_the_same_for_the_same_seed():
    assert [(p.number, p.customer, p.product, p.quantity, p.due) for p in plans()] == [
        (p.number, p.customer, p.product, p.quantity, p.due) for p in plans()
    ]


def test_order_book_fills_every_stage_and_priority_quota():
    book = plans()
    assert len(book) == 200
    assert Counter(p.stage for p in book) == Counter(STAGE_QUOTAS)
    assert Counter(p.priority for p in book) == Counter(PRIORITY_QUOTAS)
    assert set(STAGE_QUOTAS) == set(STAGES)


def test_stage_events_walk_the_stage_machine_forward_in_time():
    for plan in plans():
        events = plan.events
        assert (events[0].from_stage, events[0].to_stage) == (None, QUOTE)
        assert all(later.from_stage == earlier.to_stage for earlier, later in pairwise(events))
        assert all(is_allowed(e.from_stage, e.to_stage) for e in events[1:])
        assert events[-1].to_stage == plan.stage
        assert all(earlier.at < later.at for earlier, later in pairwise(events))


def test_every_stage_event_happened_before_today():
    start_of_today = datetime.combine(TODAY, time(), tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)
    assert all(e.at < start_of_today for plan in plans() for e in plan.events)


def test_shipped_orders_were_due_in_the_past():
    assert all(p.due < TODAY for p in plans() if p.stage == SHIPPED)


def test_open_orders_are_some_overdue_some_due_within_three_days_most_weeks_ahead():
    open_dues = [p.due - TODAY for p in plans() if p.stage in OPEN_STAGES]
    overdue = sum(d < timedelta(0) for d in open_dues)
    soon = sum(timedelta(0) <= d <= timedelta(days=3) for d in open_dues)
    later = sum(d >= timedelta(days=7) for d in open_dues)
    assert overdue >= 5 and soon >= 10 and later > len(open_dues) / 2


def test_orders_are_created_at_least_a_week_before_they_are_due():
    assert all(p.created_on <= p.due - timedelta(days=7) for p in plans())


def test_blocked_customers_only_have_quotes_or_cancelled_orders_and_each_has_a_quote():
    blocked = {c.code for c in PICKS if c.blocked}
    book = plans()
    assert {p.stage for p in book if p.customer in blocked} <= {QUOTE, CANCELLED}
    assert blocked <= {p.customer for p in book if p.stage == QUOTE}


def test_order_numbers_are_unique_and_carry_the_plant_local_creation_day():
    book = plans()
    assert len({p.number for p in book}) == len(book)
    for plan in book:
        assert re.fullmatch(r"SO-\d{8}-\d{4}", plan.number)
        local_day = plan.created_at.replace(tzinfo=UTC).astimezone(ZONE).date()
        assert plan.number[3:11] == f"{local_day:%Y%m%d}"


def test_a_cancelled_order_was_cancelled_from_a_stage_before_shipped():
    rng = random.Random(3)
    for _ in range(50):
        path = stage_path(CANCELLED, rng)
        assert path[-1] == CANCELLED and path[0] == QUOTE
        assert path[-2] in FORWARD[:-1]
