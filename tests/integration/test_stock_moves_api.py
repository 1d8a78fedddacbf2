"""Scanner stock moves through /api/v1/stock/moves: on-site checks, refusals, exactly once, the ledger."""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.audit import AuditLog
from domain.masterdata import Sku
from domain.stock.gps_fixes import GpsFix
from domain.stock.ledger import StockBalance, StockMove
from extensions import db
from tests.conftest import make_user
from tests.integration.stock_world import (
    PRODUCT,
    SKU,
    YARD_A,
    YARD_B,
    add_finished_stock,
    add_work_order,
    build_world,
    gps,
    label,
)


@pytest.fixture
def world(app):
    return build_world(stock_a="100", capacity_b="50")


@pytest.fixture
def worker(auth):
    return auth.headers("warehouse")


def move(client, headers, world, key: str | None = None, **fields):
    body = {"kind": "issue", "sku": SKU, "qty": "5", "location_label": label(world.loc_a), "gps": gps(YARD_A)}
    body.update(fields)
    return client.post(
        "/api/v1/stock/moves", json=body, headers={**headers, "Idempotency-Key": key or uuid.uuid4().hex}
    )


def on_hand(location_id: int) -> Decimal:
    qty = db.session.execute(select(StockBalance.qty).where(StockBalance.location_id == location_id)).scalar()
    return qty if qty is not None else Decimal(0)


def moves_count() -> int:
    return db.session.execute(select(func.count()).select_from(StockMove)).scalar_one()


def refusal(response, status: int = 422) -> dict:
    assert response.status_code == status, response.json
    assert set(response.json["error"]) >= {"code", "message", "fields"}
    return response.json["error"]


def test_issue_inside_the_fence_takes_stock_and_appends_to_the_ledger(client, worker, world):
    response = move(client, worker, world, qty="12.5")
    assert response.status_code == 201, response.json
    assert (response.json["qty"], response.json["on_hand"], response.json["location"]) == (
        "-12.500",
        "87.500",
        "A-01",
    )
    assert on_hand(world.loc_a) == Decimal("87.5")
    assert moves_count() == 2  # the initial receipt and this issue


def test_receipt_adds_to_the_scanned_location(client, worker, world):
    response = move(client, worker, world, kind="receipt", qty="3", location_label=label(world.loc_a2))
    assert response.status_code == 201, response.json
    assert on_hand(world.loc_a2) == Decimal(3)


def test_issue_of_more_than_on_hand_is_refused_and_changes_nothing(client, worker, world):
    error = refusal(move(client, worker, world, qty="100.001"))
    assert error["code"] == "insufficient_stock"
    assert "100" in error["message"]
    assert (on_hand(world.loc_a), moves_count()) == (Decimal(100), 1)


def test_move_outside_the_fence_is_refused_with_the_distance(client, worker, world):
    error = refusal(move(client, worker, world, gps=gps(YARD_A, accuracy=5, east_m=130)))
    assert error["code"] == "outside_geofence"
    assert "27.5 m outside the fence of WH-A" in error["message"]  # the yard edge is 102.5 m east
    assert on_hand(world.loc_a) == Decimal(100)


def test_inaccurate_fix_is_refused(client, worker, world):
    assert refusal(move(client, worker, world, gps=gps(YARD_A, accuracy=80)))["code"] == "gps_inaccurate"


def test_hand_made_location_label_is_refused(client, worker, world):
    forged = f"https://oh.example.cn/s/loc/{world.loc_a}.AAAAAAAAAAA"
    assert refusal(move(client, worker, world, location_label=forged))["code"] == "invalid_location_label"


def test_gps_alone_moves_nothing_without_a_label(client, worker, world):
    error = refusal(move(client, worker, world, location_label=str(world.loc_a)))
    assert error["code"] == "invalid_location_label"


def test_label_of_another_warehouse_than_the_one_chosen_is_refused(client, worker, world):
    response = move(
        client, worker, world, warehouse="WH-A", location_label=label(world.loc_b), gps=gps(YARD_B)
    )
    assert refusal(response)["code"] == "wrong_warehouse_location"


def test_label_of_a_warehouse_you_are_not_in_is_refused_by_the_fence(client, worker, world):
    response = move(client, worker, world, location_label=label(world.loc_b), gps=gps(YARD_A))
    assert refusal(response)["code"] == "outside_geofence"


def test_receipt_beyond_the_warehouse_capacity_is_refused(client, worker, world):
    body = {"kind": "receipt", "location_label": label(world.loc_b), "gps": gps(YARD_B)}
    assert move(client, worker, world, qty="50", **body).status_code == 201
    assert refusal(move(client, worker, world, qty="0.001", **body))["code"] == "target_capacity_exceeded"


def test_shipment_must_name_an_existing_sales_order(client, worker, world):
    assert refusal(move(client, worker, world, kind="shipment"))["code"] == "missing_order_reference"
    assert (
        refusal(move(client, worker, world, kind="shipment", ref="SO-NOPE"))["code"]
        == "unknown_order_reference"
    )
    # What a shipment may take (the order's product, inspected, not over the order): test_shipments_scanned.py
    add_finished_stock(world.loc_a, "10")
    add_work_order("WO-20261206-0001", good_qty="10", final_passed_by=make_user("qc1", ["qc"]).id)
    shipped = move(client, worker, world, kind="shipment", ref=world.order, sku=PRODUCT)
    assert (shipped.status_code, shipped.json["ref"]) == (201, world.order)


def test_adjustment_needs_a_reason_and_may_be_negative(client, worker, world):
    kg_per_pallet(1000)  # small next to a pallet: no supervisor needed (test_stock_counts_api.py)
    assert (
        refusal(move(client, worker, world, kind="adjustment", qty="-2"))["code"]
        == "adjustment_reason_required"
    )
    response = move(client, worker, world, kind="adjustment", qty="-2", reason="stocktake: 2 kg short")
    assert (response.status_code, on_hand(world.loc_a)) == (201, Decimal(98))


def kg_per_pallet(kg: int) -> None:
    db.session.execute(db.update(Sku).where(Sku.code == SKU).values(units_per_handling_unit=kg))
    db.session.commit()


def test_replay_returns_the_first_response_and_applies_nothing(client, worker, world):
    first = move(client, worker, world, key="outbox-0001")
    again = move(client, worker, world, key="outbox-0001")
    assert (again.status_code, again.json) == (first.status_code, first.json)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (on_hand(world.loc_a), moves_count()) == (Decimal(95), 2)


def test_same_key_with_another_body_is_refused(client, worker, world):
    move(client, worker, world, key="outbox-0002")
    error = refusal(move(client, worker, world, key="outbox-0002", qty="6"))
    assert error["code"] == "idempotency_key_reused"
    assert on_hand(world.loc_a) == Decimal(95)


def test_refusal_is_kept_for_its_key(client, worker, world):
    first = move(client, worker, world, key="outbox-0003", qty="500")
    move(client, worker, world, kind="receipt", qty="1000")
    again = move(client, worker, world, key="outbox-0003", qty="500")
    assert (again.status_code, again.json) == (first.status_code, first.json)
    assert again.json["error"]["code"] == "insufficient_stock"


def test_keys_are_per_user(client, auth, world):
    one, two = auth.headers("warehouse", "wh-li"), auth.headers("warehouse", "wh-wang")
    assert move(client, one, world, key="same-key").status_code == 201
    assert move(client, two, world, key="same-key", qty="7").status_code == 201
    assert on_hand(world.loc_a) == Decimal(88)


def test_move_without_idempotency_key_is_a_bad_request(client, worker, world):
    body = {"kind": "issue", "sku": SKU, "qty": "1", "location_label": label(world.loc_a), "gps": gps(YARD_A)}
    response = client.post("/api/v1/stock/moves", json=body, headers=worker)
    assert refusal(response, 400)["code"] == "idempotency_key_missing"


def test_refusal_is_audited_with_the_fix_and_the_fix_is_logged(client, worker, world):
    move(client, worker, world, gps=gps(YARD_A, accuracy=5, east_m=400))
    row = db.session.execute(select(AuditLog).where(AuditLog.action == "refused")).scalar_one()
    assert row.changes["code"] == "outside_geofence"
    assert row.lat == pytest.approx(gps(YARD_A, east_m=400)["lat"])
    fix = db.session.execute(select(GpsFix)).scalar_one()
    assert fix.purpose == "refused:outside_geofence"


def test_each_move_is_audited_with_its_gps_fix(client, worker, world):
    moved = move(client, worker, world)
    row = db.session.execute(select(AuditLog).where(AuditLog.action == "stock_move")).scalar_one()
    assert (row.entity_id, row.lat, row.lon) == (
        str(moved.json["id"]),
        gps(YARD_A)["lat"],
        gps(YARD_A)["lon"],
    )
    # Written with the commit (in one pipeline on PostgreSQL): the same facts on both databases.
    assert row.changes == {
        "kind": "issue",
        "sku": world.sku,
        "lot": "",
        "location": "A-01",
        "qty": "-5.000",
        "on_hand": "95.000",
        "gps_accuracy_m": gps(YARD_A)["accuracy"],
    }
    assert row.user_id is not None


def test_impossible_jump_between_two_scans_is_flagged_but_not_blocking(client, worker, world):
    move(client, worker, world, gps=gps(YARD_A, accuracy=4.1))
    response = move(
        client,
        worker,
        world,
        location_label=label(world.loc_b),
        gps=gps(YARD_B, accuracy=3.9),
        kind="receipt",
    )
    assert response.status_code == 201, response.json
    assert response.json["gps_flags"] == ["impossible_speed"]
    flagged = db.session.execute(select(AuditLog).where(AuditLog.action == "gps_flagged")).scalar_one()
    assert flagged.changes == {"flags": ["impossible_speed"]}


def test_other_roles_cannot_move_stock(client, auth, world):
    assert move(client, auth.headers("sales"), world).status_code == 403


def test_stock_and_ledger_can_be_read(client, worker, world):
    move(client, worker, world)
    stock = client.get("/api/v1/stock", query_string={"sku": SKU}, headers=worker).json
    ledger = client.get("/api/v1/stock/moves", query_string={"warehouse": "WH-A"}, headers=worker).json
    assert stock["items"] == [
        {"sku": SKU, "lot": "", "location": "A-01", "warehouse": "WH-A", "qty": "95.000"}
    ]
    assert [m["kind"] for m in ledger["items"]] == ["receipt", "issue"]  # commit order, oldest first


def test_location_label_from_the_api_is_accepted_by_a_move(client, worker, world):
    got = client.get(f"/api/v1/stock/locations/{world.loc_a2}/label", headers=worker)
    assert got.json["url"].endswith(f"/s/loc/{got.json['token']}?c=A-02")
    assert move(client, worker, world, kind="receipt", location_label=got.json["url"]).status_code == 201


def test_the_usual_quantity_is_the_median_move_and_asks_above_ten_times_it(client, worker, world):
    for qty in ("4", "6"):
        assert move(client, worker, world, qty=qty).status_code == 201
    usual = client.get(f"/api/v1/stock/usual-quantity?sku={SKU}", headers=worker).json
    # The world's opening receipt of 100 counts too: median of 100, 4, 6 is 6.
    assert (usual["median"], usual["ask_above"]) == ("6.000", "60.000")
