"""Kitting per work order (DESIGN §5): stock across two warehouses, reservations for other work orders,
requested and picked transfers, issues; the alert zone of the next 7 days."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.errors import DomainError
from domain.kitting import estimate
from domain.kitting import service as kitting
from domain.masterdata import Sku, Warehouse
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.stock import balances
from domain.stock.transfers import IN_TRANSIT, REQUESTED, Transfer
from domain.transactions import write_transaction
from extensions import db
from tests.conftest import make_user
from tests.integration.quality_world import COLOUR, RESIN, add_order, add_work_order, build_plant


def put(location_id: int, sku_code: str, qty: str, kind: str = "receipt", ref: str | None = None) -> None:
    with write_transaction():
        sku_id = db.session.execute(db.select(Sku.id).where(Sku.code == sku_code)).scalar_one()
        balances.post(kind, sku_id, "", location_id, Decimal(qty), ref=ref)


def transfer(sku_code: str, qty: str, state: str) -> None:
    sku_id = db.session.execute(db.select(Sku.id).where(Sku.code == sku_code)).scalar_one()
    a, b = (
        db.session.execute(db.select(Warehouse.id).where(Warehouse.code == c)).scalar_one()
        for c in ("WH-A", "WH-B")
    )
    picked = None if state == REQUESTED else Decimal(qty)
    db.session.add(
        Transfer(
            order_ref="SO-A",
            order_kind="sales_order",
            sku_id=sku_id,
            qty=Decimal(qty),
            picked_qty=picked,
            from_warehouse_id=a,
            to_warehouse_id=b,
            state=state,
        )
    )
    db.session.commit()


@pytest.fixture
def plant(app):
    plant = build_plant()
    for letter in "ABCDE":
        add_order(plant, "C-A", f"SO-{letter}")
    add_work_order(plant, "SO-A", "WO-A", qty=1000, starts_in_days=2)  # resin 51 kg (2% scrap), colour 1 kg
    add_work_order(plant, "SO-B", "WO-B", qty=200, starts_in_days=5)  # resin 10.2, colour 0.2
    return plant


def lines(work_order_id: int) -> dict[str, dict]:
    return {line["sku"]: line for line in kitting.for_work_order(work_order_id).as_dict()["lines"]}


def test_stock_in_both_warehouses_adds_up_and_the_rate_counts_covered_lines(plant):
    put(plant.loc_a, RESIN, "30")
    put(plant.loc_b, RESIN, "21")  # 51 in all: exactly the requirement
    put(plant.loc_a, COLOUR, "0.5")
    result = kitting.for_work_order(plant.work_orders["WO-A"])
    by_sku = {line.sku: line.status for line in result.lines}
    assert (by_sku[RESIN].required, by_sku[RESIN].available, by_sku[RESIN].covered) == (
        Decimal(51),
        Decimal(51),
        True,
    )
    assert (by_sku[COLOUR].short, by_sku[COLOUR].covered) == (Decimal("0.5"), False)
    assert result.rate == Decimal("0.5")
    assert [(m["sku"], m["short"]) for m in result.as_dict()["missing"]] == [(COLOUR, Decimal("0.5"))]


def test_reservation_for_another_work_order_is_not_available_and_issuing_draws_it_down(plant):
    put(plant.loc_a, RESIN, "55")
    put(plant.loc_a, COLOUR, "5")
    planner = make_user("planner", ["planner"])
    kitting.reserve(plant.work_orders["WO-B"], RESIN, Decimal(10), planner)
    assert lines(plant.work_orders["WO-A"])[RESIN]["available"] == Decimal(45)  # 55 − 10 held for WO-B
    assert lines(plant.work_orders["WO-A"])[RESIN]["short"] == Decimal(6)
    assert lines(plant.work_orders["WO-B"])[RESIN]["available"] == Decimal(55)  # its own is its stock
    put(plant.loc_a, RESIN, "-4", kind="issue", ref="WO-B")  # WO-B draws 4: 51 left, 6 still held
    assert lines(plant.work_orders["WO-A"])[RESIN]["available"] == Decimal(45)
    wo_b = lines(plant.work_orders["WO-B"])[RESIN]
    assert (wo_b["issued"], wo_b["still_needed"]) == (Decimal(4), Decimal("6.2"))


def test_issue_to_the_work_order_itself_lowers_what_it_still_needs(plant):
    put(plant.loc_a, RESIN, "51")
    put(plant.loc_a, RESIN, "-20", kind="issue", ref="WO-A")
    line = lines(plant.work_orders["WO-A"])[RESIN]
    assert (line["issued"], line["still_needed"], line["available"], line["covered"]) == (
        Decimal(20), Decimal(31), Decimal(31), True,
    )  # fmt: skip


def test_requested_transfer_out_is_not_available_and_picked_stock_is_not_counted_twice(plant):
    put(plant.loc_a, RESIN, "60")
    transfer(RESIN, "5", REQUESTED)  # still on the shelf, promised to leave
    assert lines(plant.work_orders["WO-A"])[RESIN]["available"] == Decimal(55)
    put(plant.loc_a, RESIN, "-8", kind="transfer_out")  # a picked transfer leaves the balance ...
    transfer(RESIN, "8", IN_TRANSIT)  # ... and is on the road: gone once, not twice
    assert lines(plant.work_orders["WO-A"])[RESIN]["available"] == Decimal(47)


def test_reserving_more_than_is_free_is_refused(plant):
    put(plant.loc_a, RESIN, "12")
    planner = make_user("planner", ["planner"])
    kitting.reserve(plant.work_orders["WO-A"], RESIN, Decimal(10), planner)
    with pytest.raises(DomainError) as refused:
        kitting.reserve(plant.work_orders["WO-B"], RESIN, Decimal(3), planner)
    assert refused.value.code == "insufficient_stock"


def test_alert_zone_lists_short_work_orders_starting_within_seven_days(plant):
    add_work_order(plant, "SO-C", "WO-C", qty=1000, starts_in_days=10)  # short, but later
    add_work_order(plant, "SO-D", "WO-D", qty=10, starts_in_days=3)  # small: fully kitted
    add_work_order(plant, "SO-E", "WO-E", qty=1000, starts_in_days=1, status="finished")
    put(plant.loc_a, RESIN, "11")
    put(plant.loc_b, COLOUR, "0.1")
    zone = kitting.alert_zone()
    assert [k.number for k in zone] == ["WO-A", "WO-B"]
    assert {m.sku: m.status.short for m in zone[0].missing} == {RESIN: Decimal(40), COLOUR: Decimal("0.9")}
    assert zone[1].rate == Decimal("0.5")  # WO-B: resin 10.2 of 11 covered, colour 0.2 of 0.1 short


def test_alert_zone_takes_every_unfinished_status_and_leaves_out_finished(plant):
    add_work_order(plant, "SO-C", "WO-C", qty=1000, starts_in_days=3, status="acknowledged")
    add_work_order(plant, "SO-D", "WO-D", qty=1000, starts_in_days=-2, status="in_progress")  # started
    add_work_order(plant, "SO-E", "WO-E", qty=1000, starts_in_days=1, status="finished")
    assert [k.number for k in kitting.alert_zone()] == ["WO-D", "WO-A", "WO-C", "WO-B"]


def test_alert_zone_gives_each_work_order_its_own_reservation_and_issues(plant):
    put(plant.loc_a, RESIN, "55")
    put(plant.loc_a, COLOUR, "1.1")  # shared by WO-A (1 kg) and WO-B (0.2 kg), reserved by neither
    kitting.reserve(plant.work_orders["WO-B"], RESIN, Decimal(10), make_user("planner", ["planner"]))
    put(plant.loc_a, RESIN, "-4", kind="issue", ref="WO-B")  # 51 on hand, 6 still held for WO-B
    put(plant.loc_a, COLOUR, "-0.2", kind="issue", ref="WO-A")  # 0.9 on hand
    zone = {k.number: {line.sku: line.status for line in k.lines} for k in kitting.alert_zone()}
    assert list(zone) == ["WO-A"]  # WO-B: resin 6.2 still needed of 51, colour 0.2 of 0.9: kitted
    resin, colour = zone["WO-A"][RESIN], zone["WO-A"][COLOUR]
    assert (resin.available, resin.short) == (Decimal(45), Decimal(6))  # 51 − 6 held for WO-B
    assert (colour.issued, colour.still_needed, colour.available, colour.covered) == (
        Decimal("0.2"), Decimal("0.8"), Decimal("0.9"), True,
    )  # fmt: skip
    both = {k.number: k for k in kitting.compute(WorkOrder.id.in_(list(plant.work_orders.values())))}
    b_lines = {line.sku: line.status for line in both["WO-B"].lines}
    assert (b_lines[RESIN].available, b_lines[RESIN].issued) == (Decimal(51), Decimal(4))  # its own held 6
    assert b_lines[COLOUR].available == Decimal("0.9")  # the same free colour as WO-A's
    assert both["WO-B"].rate == 1


def test_rush_score_takes_the_work_orders_kitting_rate(plant):
    put(plant.loc_a, RESIN, "60")  # resin covered, colour missing: 50%
    order = db.session.get(Order, plant.orders["SO-A"])
    assert estimate.rate_for_order(order) == Decimal("0.5")


def test_rush_estimate_before_conversion_leaves_out_material_reserved_for_others(plant):
    put(plant.loc_a, RESIN, "60")
    put(plant.loc_a, COLOUR, "5")
    order = db.session.get(Order, plant.orders["SO-C"])  # no work order yet: the active BOM, 1000 pcs
    assert estimate.rate_for_order(order) == 1
    kitting.reserve(plant.work_orders["WO-B"], RESIN, Decimal(20), make_user("planner", ["planner"]))
    assert estimate.rate_for_order(order) == Decimal("0.5")  # 40 kg free < 51 kg


def test_rescheduling_a_work_order_moves_it_in_or_out_of_the_alert_zone(plant):
    assert [k.number for k in kitting.alert_zone()] == ["WO-A", "WO-B"]
    work_order = db.session.get(WorkOrder, plant.work_orders["WO-B"])
    work_order.planned_start = work_order.planned_start + timedelta(days=6)  # now 11 days out
    db.session.commit()
    assert [k.number for k in kitting.alert_zone()] == ["WO-A"]
