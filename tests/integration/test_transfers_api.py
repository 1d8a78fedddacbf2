"""Transfers (调拨单) through /api/v1/transfers: order reference, stock and room, four steps on site."""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.audit import AuditLog
from domain.stock.ledger import StockBalance, StockMove
from domain.stock.transfers import Transfer, TransferDiscrepancy
from extensions import db
from tests.integration.stock_world import (
    SKU,
    YARD_A,
    YARD_B,
    add_work_order,
    build_world,
    gps,
    label,
    put_stock,
)


@pytest.fixture
def world(app):
    return build_world(stock_a="100", capacity_b="60", safety_stock="50")


@pytest.fixture
def worker(auth):
    return auth.headers("warehouse")


def call(client, headers, path: str, body: dict | None = None):
    return client.post(
        f"/api/v1/transfers{path}", json=body or {}, headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
    )


def request(client, headers, world, **fields):
    body = {
        "order_ref": world.order,
        "sku": SKU,
        "qty": "20",
        "from_warehouse": "WH-A",
        "to_warehouse": "WH-B",
    }
    return call(client, headers, "", {**body, **fields})


def pick(client, headers, world, transfer_id: int, **fields):
    body = {"location_label": label(world.loc_a), "gps": gps(YARD_A), **fields}
    return call(client, headers, f"/{transfer_id}/pick", body)


def dispatch(client, headers, transfer_id: int):
    return call(client, headers, f"/{transfer_id}/dispatch", {"gps": gps(YARD_A, accuracy=12)})


def receive(client, headers, world, transfer_id: int, **fields):
    body = {"location_label": label(world.loc_b), "gps": gps(YARD_B), **fields}
    return call(client, headers, f"/{transfer_id}/receive", body)


def on_the_road(client, headers, world, qty: str = "20") -> int:
    transfer = request(client, headers, world, qty=qty).json["id"]
    assert pick(client, headers, world, transfer).status_code == 200
    assert dispatch(client, headers, transfer).status_code == 200
    return transfer


def on_hand(location_id: int) -> Decimal:
    qty = db.session.execute(select(StockBalance.qty).where(StockBalance.location_id == location_id)).scalar()
    return qty if qty is not None else Decimal(0)


def code(response, status: int = 422) -> str:
    assert response.status_code == status, response.json
    assert set(response.json["error"]) >= {"code", "message", "fields"}
    return response.json["error"]["code"]


def test_transfer_is_requested_against_a_sales_order(client, worker, world):
    response = request(client, worker, world)
    assert response.status_code == 201, response.json
    assert (response.json["state"], response.json["order_ref"], response.json["qty"]) == (
        "requested",
        world.order,
        "20.000",
    )
    assert response.json["number"] == f"TR{response.json['id']:06d}"


def test_transfer_without_an_order_reference_is_refused(client, worker, world):
    assert code(request(client, worker, world, order_ref="")) == "missing_order_reference"


def test_transfer_is_requested_against_a_work_order(client, worker, world):
    add_work_order("WO-20261206-0004")
    response = request(client, worker, world, order_ref="WO-20261206-0004")
    assert response.status_code == 201, response.json
    assert response.json["order_ref"] == "WO-20261206-0004"
    assert db.session.get(Transfer, response.json["id"]).order_kind == "work_order"


def test_transfer_naming_an_unknown_order_is_refused(client, worker, world):
    assert code(request(client, worker, world, order_ref="SO-1999-9999")) == "unknown_order_reference"


def test_transfer_of_more_than_the_source_holds_is_refused(client, worker, world):
    assert code(request(client, worker, world, qty="100.5")) == "insufficient_stock"


def test_requested_transfers_reserve_the_source_stock(client, worker, world):
    put_stock(world.loc_a2, "0.001")  # every location of WH-A counts: 100.001 in all
    assert request(client, worker, world, qty="40").status_code == 201
    assert code(request(client, worker, world, qty="60.002")) == "insufficient_stock"  # 60.001 left


def test_transfer_that_would_overfill_the_target_is_refused(client, worker, world):
    assert code(request(client, worker, world, qty="61")) == "target_capacity_exceeded"


def test_inbound_transfers_count_against_the_target_room(client, worker, world):
    assert request(client, worker, world, qty="35").status_code == 201
    assert code(request(client, worker, world, qty="26")) == "target_capacity_exceeded"


def test_a_transfer_goes_from_shelf_to_shelf_in_four_steps(client, worker, world):
    transfer = request(client, worker, world).json["id"]
    picked = pick(client, worker, world, transfer)
    assert (picked.json["state"], on_hand(world.loc_a)) == ("picked", Decimal(80))
    assert dispatch(client, worker, transfer).json["state"] == "in_transit"
    received = receive(client, worker, world, transfer)
    assert (received.json["state"], received.json["received_qty"]) == ("received", "20.000")
    assert on_hand(world.loc_b) == Decimal(20)
    kinds = (
        db.session.execute(select(StockMove.kind).where(StockMove.transfer_id == transfer)).scalars().all()
    )
    assert sorted(kinds) == ["transfer_in", "transfer_out"]


def test_every_step_is_audited_with_its_gps_fix(client, worker, world):
    transfer = on_the_road(client, worker, world)
    receive(client, worker, world, transfer)
    rows = db.session.execute(
        select(AuditLog.action, AuditLog.lat).where(AuditLog.entity == "stock_transfer").order_by(AuditLog.id)
    ).all()
    assert [action for action, _ in rows] == [
        "transfer_requested",
        "transfer_picked",
        "transfer_dispatched",
        "transfer_received",
    ]
    assert [lat is not None for _, lat in rows] == [False, True, True, True]


def test_pick_outside_the_source_fence_is_refused_and_nothing_moves(client, worker, world):
    transfer = request(client, worker, world).json["id"]
    response = pick(client, worker, world, transfer, gps=gps(YARD_A, accuracy=6, north_m=300))
    assert code(response) == "outside_geofence"
    assert "m outside the fence of WH-A" in response.json["error"]["message"]
    assert on_hand(world.loc_a) == Decimal(100)
    assert client.get(f"/api/v1/transfers/{transfer}", headers=worker).json["state"] == "requested"


def test_pick_from_a_location_of_another_warehouse_is_refused(client, worker, world):
    transfer = request(client, worker, world).json["id"]
    response = pick(client, worker, world, transfer, location_label=label(world.loc_b), gps=gps(YARD_B))
    assert code(response) == "wrong_warehouse_location"


def test_receive_outside_the_target_fence_is_refused(client, worker, world):
    transfer = on_the_road(client, worker, world)
    assert code(receive(client, worker, world, transfer, gps=gps(YARD_A))) == "outside_geofence"
    assert on_hand(world.loc_b) == Decimal(0)


def test_receiving_less_than_picked_records_a_discrepancy(client, worker, world):
    transfer = on_the_road(client, worker, world)
    assert receive(client, worker, world, transfer, qty="18.5", note="one bag torn").status_code == 200
    row = db.session.execute(select(TransferDiscrepancy)).scalar_one()
    assert (row.picked_qty, row.received_qty, row.difference, row.note) == (
        Decimal(20),
        Decimal("18.5"),
        Decimal("-1.5"),
        "one bag torn",
    )
    assert on_hand(world.loc_b) == Decimal("18.5")


def test_receiving_what_was_picked_records_no_discrepancy(client, worker, world):
    receive(client, worker, world, on_the_road(client, worker, world))
    assert db.session.execute(select(TransferDiscrepancy)).first() is None


def test_receiving_before_dispatch_is_a_state_conflict(client, worker, world):
    transfer = request(client, worker, world).json["id"]
    pick(client, worker, world, transfer)
    assert code(receive(client, worker, world, transfer), 409) == "transfer_state_conflict"


def test_a_transfer_is_picked_only_once(client, worker, world):
    transfer = request(client, worker, world).json["id"]
    assert pick(client, worker, world, transfer).status_code == 200
    assert code(pick(client, worker, world, transfer), 409) == "transfer_state_conflict"
    assert on_hand(world.loc_a) == Decimal(80)


def test_new_requests_pause_while_more_than_70_percent_of_safety_stock_is_in_transit(client, worker, world):
    on_the_road(client, worker, world, qty="36")  # 36 > 0.7 × 50
    response = request(client, worker, world, qty="1")
    assert code(response) == "transfer_paused_in_transit"
    assert "36" in response.json["error"]["message"]


def test_requests_resume_once_the_transit_is_received(client, worker, world):
    receive(client, worker, world, on_the_road(client, worker, world, qty="36"))
    assert request(client, worker, world, qty="1").status_code == 201


def test_cancelling_a_request_frees_its_reservation(client, worker, world):
    transfer = request(client, worker, world, qty="60").json["id"]
    assert call(client, worker, f"/{transfer}/cancel").json["state"] == "cancelled"
    assert request(client, worker, world, qty="60").status_code == 201


def test_a_retried_pick_is_applied_once(client, worker, world):
    transfer = request(client, worker, world).json["id"]
    body = {"location_label": label(world.loc_a), "gps": gps(YARD_A)}
    headers = {**worker, "Idempotency-Key": "pick-retry-1"}
    first = client.post(f"/api/v1/transfers/{transfer}/pick", json=body, headers=headers)
    again = client.post(f"/api/v1/transfers/{transfer}/pick", json=body, headers=headers)
    assert (again.status_code, again.json) == (first.status_code, first.json) == (200, first.json)
    assert on_hand(world.loc_a) == Decimal(80)


def test_unknown_transfer_is_not_found(client, worker, world):
    assert code(pick(client, worker, world, 999), 404) == "not_found"


def test_planner_may_request_but_not_pick(client, auth, world):
    planner = auth.headers("planner")
    transfer = request(client, planner, world)
    assert transfer.status_code == 201
    assert pick(client, planner, world, transfer.json["id"]).status_code == 403


def test_transfers_are_listed_by_state(client, worker, world):
    request(client, worker, world, qty="1")
    on_the_road(client, worker, world, qty="2")
    listed = client.get("/api/v1/transfers", query_string={"state": "in_transit"}, headers=worker).json
    assert [(t["qty"], t["sku"], t["from_warehouse"], t["to_warehouse"]) for t in listed["items"]] == [
        ("2.000", SKU, "WH-A", "WH-B")
    ]


def test_transfer_to_the_same_warehouse_is_refused(client, worker, world):
    assert code(request(client, worker, world, to_warehouse="WH-A")) == "transfer_same_warehouse"


def test_transfer_to_an_unknown_warehouse_is_refused(client, worker, world):
    response = request(client, worker, world, to_warehouse="WH-X")
    assert code(response) == "unknown_warehouse"
    assert set(response.json["error"]["fields"]) == {"to_warehouse"}


def test_transfers_page_newest_first_each_once(client, worker, world):
    made = [request(client, worker, world, qty="1").json["id"] for _ in range(5)]
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/transfers", query_string=query, headers=worker).json
        assert body["total"] == 5
        seen += [t["id"] for t in body["items"]]
        pages += 1
        if not (cursor := body["next_cursor"]):
            break
    assert seen == made[::-1]
    assert pages == 3


def test_a_discrepancy_is_shown_on_its_transfer_and_listed_for_the_supervisor(client, worker, auth, world):
    transfer = on_the_road(client, worker, world)
    receive(client, worker, world, transfer, qty="17", note="three bags short")
    shown = client.get(f"/api/v1/transfers/{transfer}", headers=worker).json["discrepancy"]
    assert (shown["picked_qty"], shown["received_qty"], shown["difference"], shown["note"]) == (
        "20.000",
        "17.000",
        "-3.000",
        "three bags short",
    )
    listed = client.get("/api/v1/transfers/discrepancies", headers=auth.headers("admin")).json
    assert listed["total"] == 1
    row = listed["items"][0]
    assert (row["transfer_id"], row["sku"], row["to_warehouse"], row["recorded_by"]) == (
        transfer,
        SKU,
        "WH-B",
        "warehouse",
    )


def test_discrepancies_are_filtered_by_target_warehouse(client, worker, world):
    transfer = on_the_road(client, worker, world)
    receive(client, worker, world, transfer, qty="19", note="wet")
    by_b = client.get("/api/v1/transfers/discrepancies?warehouse=WH-B", headers=worker).json
    by_a = client.get("/api/v1/transfers/discrepancies?warehouse=WH-A", headers=worker).json
    assert (by_b["total"], by_a["total"]) == (1, 0)


def test_a_transfer_without_discrepancy_shows_none(client, worker, world):
    transfer = request(client, worker, world).json["id"]
    assert client.get(f"/api/v1/transfers/{transfer}", headers=worker).json["discrepancy"] is None


def test_the_scanned_source_location_names_the_source_warehouse(client, worker, world):
    response = request(client, worker, world, from_warehouse="", location_label=label(world.loc_a))
    assert response.status_code == 201, response.json
    assert response.json["from_warehouse"] == "WH-A"


def test_a_request_without_source_is_refused_naming_the_field(client, worker, world):
    response = request(client, worker, world, from_warehouse="")
    assert code(response) == "missing_source_warehouse"
    assert "from_warehouse" in response.json["error"]["fields"]
