"""The warehouse exceptions page (/exceptions/): a flagged move, a refusal, a discrepancy and an
adjustment made in the test are listed, filtered by person, warehouse and day, and link to the move."""

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from domain.masterdata import Sku
from extensions import db
from tests.integration.stock_world import SKU, YARD_A, YARD_B, build_world, gps, label


@pytest.fixture
def world(app):
    return build_world(stock_a="100")


def post(client, headers, path: str, body: dict):
    return client.post(path, json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex})


def flagged_receipt(client, headers, world) -> int:
    body = {"kind": "receipt", "sku": SKU, "qty": "5", "location_label": label(world.loc_a)}
    response = post(client, headers, "/api/v1/stock/moves", {**body, "gps": gps(YARD_A, accuracy=0)})
    assert response.status_code == 201 and response.json["gps_flags"] == ["no_accuracy"], response.json
    return response.json["id"]


def short_transfer(client, headers, world) -> int:
    body = {
        "order_ref": world.order,
        "sku": SKU,
        "qty": "10",
        "from_warehouse": "WH-A",
        "to_warehouse": "WH-B",
    }
    transfer = post(client, headers, "/api/v1/transfers", body).json["id"]
    pick = {"location_label": label(world.loc_a), "gps": gps(YARD_A)}
    assert post(client, headers, f"/api/v1/transfers/{transfer}/pick", pick).status_code == 200
    assert post(client, headers, f"/api/v1/transfers/{transfer}/dispatch", {}).status_code == 200
    receive = {"location_label": label(world.loc_b), "gps": gps(YARD_B), "qty": "8", "note": "two bags wet"}
    assert post(client, headers, f"/api/v1/transfers/{transfer}/receive", receive).status_code == 200
    return transfer


def page(client, **query) -> str:
    response = client.get("/exceptions/", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}">(.*?)</ul>', html, re.S).group(1)


def test_a_flagged_move_and_a_discrepancy_are_listed_with_links(client, auth, world):
    worker = auth.headers("warehouse")
    move_id = flagged_receipt(client, worker, world)
    transfer_id = short_transfer(client, worker, world)
    auth.login("admin")
    html = page(client)
    flags = section(html, "gps-flags")
    assert "no_accuracy" in flags and "WH-A" in flags and f"/exceptions/moves/{move_id}" in flags
    discrepancies = section(html, "discrepancies")
    assert f"TR{transfer_id:06d} {SKU}" in discrepancies and "10 → 8 (-2)" in discrepancies
    assert "two bags wet" in discrepancies
    detail = client.get(f"/exceptions/moves/{move_id}").get_data(as_text=True)
    assert "no_accuracy" in detail and "A-01" in detail
    shown = client.get(f"/exceptions/transfers/{transfer_id}").get_data(as_text=True)
    assert 'data-testid="transfer-discrepancy"' in shown and "two bags wet" in shown


def test_refusals_are_counted_by_reason(client, auth, world):
    worker = auth.headers("warehouse")
    body = {"kind": "issue", "sku": SKU, "qty": "1", "location_label": label(world.loc_a)}
    for _ in range(2):
        post(client, worker, "/api/v1/stock/moves", {**body, "gps": gps(YARD_A, east_m=500)})
    auth.login("admin")
    reasons = section(page(client), "refusal-reasons")
    assert re.search(r"<b>outside_geofence</b> × 2", reasons)


def test_a_refused_move_shows_its_warehouse_and_filters_by_it(client, auth, world):
    worker = auth.headers("warehouse")
    body = {"kind": "issue", "sku": SKU, "qty": "1", "location_label": label(world.loc_a)}
    assert (
        post(client, worker, "/api/v1/stock/moves", {**body, "gps": gps(YARD_A, east_m=500)}).status_code
        == 422
    )
    forged = {**body, "location_label": label(world.loc_a)[:-3] + "AAA"}  # names no warehouse that checks
    assert post(client, worker, "/api/v1/stock/moves", {**forged, "gps": gps(YARD_A)}).status_code == 422
    auth.login("admin")
    everything = section(page(client), "refusals")
    assert re.search(r"<b>outside_geofence</b> · WH-A", everything)
    assert "invalid_location_label" in everything
    in_a = section(page(client, warehouse="WH-A"), "refusals")
    assert "outside_geofence" in in_a and "invalid_location_label" not in in_a
    assert "outside_geofence" not in section(page(client, warehouse="WH-B"), "refusals")
    assert re.search(
        r"<b>outside_geofence</b> × 1", section(page(client, warehouse="WH-A"), "refusal-reasons")
    )


def test_adjustments_are_listed_with_their_reason(client, auth, world):
    db.session.execute(db.update(Sku).where(Sku.code == SKU).values(units_per_handling_unit=1000))
    db.session.commit()  # 3 kg is no pallet: the worker needs no supervisor
    worker = auth.headers("warehouse")
    body = {
        "kind": "adjustment",
        "sku": SKU,
        "qty": "-3",
        "reason": "cycle count",
        "location_label": label(world.loc_a),
    }
    assert post(client, worker, "/api/v1/stock/moves", {**body, "gps": gps(YARD_A)}).status_code == 201
    auth.login("admin")
    adjustments = section(page(client), "adjustments")
    assert f"{SKU} -3" in adjustments and "cycle count" in adjustments


def test_filters_by_person_warehouse_and_day(app, client, auth, world):
    flagged_receipt(client, auth.headers("warehouse"), world)
    auth.login("admin")
    today = datetime.now(ZoneInfo(app.config["PLANT_TIMEZONE"])).date().isoformat()
    assert "no_accuracy" in section(page(client, person="warehouse"), "gps-flags")
    assert "no_accuracy" not in section(page(client, person="someone-else"), "gps-flags")
    assert "no_accuracy" not in section(page(client, warehouse="WH-B"), "gps-flags")
    assert "no_accuracy" not in section(page(client, day="2020-01-01"), "gps-flags")
    assert "no_accuracy" in section(page(client, day=today), "gps-flags")  # today in the plant


def test_the_warehouse_supervisor_sees_exceptions_and_todays_count_on_the_home_page(client, auth, world):
    worker = auth.headers("warehouse")
    body = {"kind": "issue", "sku": SKU, "qty": "1", "location_label": label(world.loc_a)}
    post(client, worker, "/api/v1/stock/moves", {**body, "gps": gps(YARD_A, east_m=500)})
    auth.login("supervisor")
    assert "outside_geofence" in section(page(client), "refusals")
    home = client.get("/").get_data(as_text=True)
    card = home.split('data-role="supervisor"', 1)[1]
    assert 'data-figure="refusals" data-value="1"' in card and "/exceptions/?day=" in card


def test_only_warehouse_staff_and_admins_see_exceptions(client, auth, world):
    auth.login("sales")
    assert client.get("/exceptions/").status_code == 403
