"""Location to location (库位间移库) through /api/v1/stock/relocations: one transaction, two ledger rows,
both labels and fences checked."""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.stock.ledger import StockBalance, StockMove
from extensions import db
from tests.integration.stock_world import SKU, YARD_A, YARD_B, build_world, gps, label


@pytest.fixture
def world(app):
    return build_world(stock_a="50")


@pytest.fixture
def worker(auth):
    return auth.headers("warehouse")


def relocate(client, headers, world, **fields):
    body = {
        "sku": SKU,
        "qty": "20",
        "from_label": label(world.loc_a),
        "to_label": label(world.loc_a2),
        "gps": gps(YARD_A),
        **fields,
    }
    return client.post(
        "/api/v1/stock/relocations", json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
    )


def on_hand(location_id: int) -> Decimal:
    qty = db.session.execute(select(StockBalance.qty).where(StockBalance.location_id == location_id)).scalar()
    return qty if qty is not None else Decimal(0)


def relocation_rows() -> list[tuple[str, Decimal]]:
    rows = db.session.execute(
        select(StockMove.kind, StockMove.qty).where(StockMove.kind.like("relocate%")).order_by(StockMove.id)
    )
    return [tuple(row) for row in rows]


def refused(response, field: str) -> str:
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"], response.json
    return response.json["error"]["code"]


def test_stock_moves_from_shelf_to_shelf_in_two_ledger_rows(client, worker, world):
    response = relocate(client, worker, world)
    assert response.status_code == 201, response.json
    assert (response.json["from_location"], response.json["to_location"]) == ("A-01", "A-02")
    assert (on_hand(world.loc_a), on_hand(world.loc_a2)) == (Decimal(30), Decimal(20))
    assert relocation_rows() == [("relocate_out", Decimal(-20)), ("relocate_in", Decimal(20))]


def test_more_than_the_source_holds_moves_nothing(client, worker, world):
    assert refused(relocate(client, worker, world, qty="60"), "qty") == "insufficient_stock"
    assert (on_hand(world.loc_a), on_hand(world.loc_a2), relocation_rows()) == (Decimal(50), Decimal(0), [])


def test_a_target_outside_the_fix_fence_is_refused(client, worker, world):
    response = relocate(client, worker, world, to_label=label(world.loc_b))  # WH-B is 1 km away
    assert refused(response, "gps") == "outside_geofence"
    assert relocation_rows() == []


def test_a_source_outside_the_fix_fence_is_refused(client, worker, world):
    response = relocate(client, worker, world, to_label=label(world.loc_b), gps=gps(YARD_B))
    assert refused(response, "gps") == "outside_geofence"


def test_a_forged_target_label_is_refused_naming_the_target(client, worker, world):
    forged = label(world.loc_a2).rsplit(".", 1)[0] + ".AAAAAAAAAAA"
    assert refused(relocate(client, worker, world, to_label=forged), "to_label") == "invalid_location_label"


def test_the_same_location_twice_is_refused(client, worker, world):
    response = relocate(client, worker, world, to_label=label(world.loc_a))
    assert refused(response, "to_label") == "relocation_same_location"
