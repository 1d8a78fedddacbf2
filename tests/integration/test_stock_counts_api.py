"""Cycle counts through /api/v1/stock/counts, and the supervisor rule for large adjustments: the counted
quantity becomes one adjustment with its reason; more than a pallet position needs an administrator."""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.masterdata import Sku
from domain.stock.ledger import StockBalance, StockMove
from extensions import db
from tests.integration.stock_world import SKU, YARD_A, build_world, gps, label


@pytest.fixture
def world(app):
    built = build_world(stock_a="100")
    db.session.execute(db.update(Sku).where(Sku.code == SKU).values(units_per_handling_unit=Decimal(50)))
    db.session.commit()
    return built


def post(client, headers, path: str, body: dict):
    return client.post(path, json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex})


def count(client, headers, world, counted: str, reason: str = ""):
    body = {"sku": SKU, "counted": counted, "reason": reason, "location_label": label(world.loc_a)}
    return post(client, headers, "/api/v1/stock/counts", {**body, "gps": gps(YARD_A)})


def on_hand(location_id: int) -> Decimal:
    return db.session.execute(
        select(StockBalance.qty).where(StockBalance.location_id == location_id)
    ).scalar()


def adjustments() -> list[tuple[Decimal, str]]:
    rows = db.session.execute(select(StockMove.qty, StockMove.reason).where(StockMove.kind == "adjustment"))
    return [tuple(row) for row in rows]


def test_a_count_below_the_ledger_becomes_one_adjustment_with_its_reason(client, auth, world):
    response = count(client, auth.headers("warehouse"), world, "96", reason="4 bags torn")
    assert response.status_code == 201, response.json
    assert (response.json["on_hand_before"], response.json["difference"]) == ("100.000", "-4.000")
    assert on_hand(world.loc_a) == Decimal(96)
    assert adjustments() == [(Decimal(-4), "count: 4 bags torn")]


def test_a_count_equal_to_the_ledger_moves_nothing(client, auth, world):
    response = count(client, auth.headers("warehouse"), world, "100")
    assert response.status_code == 201, response.json
    assert (response.json["difference"], response.json["move_id"]) == ("0.000", None)
    assert adjustments() == []


def test_a_difference_needs_a_reason(client, auth, world):
    response = count(client, auth.headers("warehouse"), world, "90")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "adjustment_reason_required"
    assert "reason" in response.json["error"]["fields"]


def test_more_than_a_pallet_position_needs_an_administrator(client, auth, world):
    response = count(client, auth.headers("warehouse"), world, "40", reason="found short")  # 60 = 1.2 pallets
    assert response.status_code == 403
    assert response.json["error"]["code"] == "adjustment_needs_supervisor"
    assert on_hand(world.loc_a) == Decimal(100)
    approved = count(client, auth.headers("admin"), world, "40", reason="found short")
    assert approved.status_code == 201, approved.json
    assert on_hand(world.loc_a) == Decimal(40)


def test_a_warehouse_supervisor_approves_a_large_count_by_making_it(client, auth, world):
    assert count(client, auth.headers("warehouse"), world, "40", reason="found short").status_code == 403
    approved = count(client, auth.headers("supervisor"), world, "40", reason="found short")
    assert approved.status_code == 201, approved.json
    assert on_hand(world.loc_a) == Decimal(40)


def test_a_direct_adjustment_above_the_threshold_needs_an_administrator_too(client, auth, world):
    body = {
        "kind": "adjustment",
        "sku": SKU,
        "qty": "-51",
        "reason": "damaged",
        "location_label": label(world.loc_a),
    }
    response = post(client, auth.headers("warehouse"), "/api/v1/stock/moves", {**body, "gps": gps(YARD_A)})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "adjustment_needs_supervisor"
    small = {**body, "qty": "-50"}
    assert (
        post(
            client, auth.headers("warehouse"), "/api/v1/stock/moves", {**small, "gps": gps(YARD_A)}
        ).status_code
        == 201
    )


def test_a_warehouse_supervisor_makes_a_large_direct_adjustment(client, auth, world):
    """The supervisor's own role is enough for the move API: no warehouse role needed beside it."""
    body = {
        "kind": "adjustment",
        "sku": SKU,
        "qty": "-51",
        "reason": "damaged",
        "location_label": label(world.loc_a),
    }
    response = post(client, auth.headers("supervisor"), "/api/v1/stock/moves", {**body, "gps": gps(YARD_A)})
    assert response.status_code == 201, response.json
    assert on_hand(world.loc_a) == Decimal(49)
    assert adjustments() == [(Decimal(-51), "damaged")]
