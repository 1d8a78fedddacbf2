"""A shipment scanned against a sales order (/api/v1/stock/moves, kind shipment): the order's product,
no more than ordered, no more than passed final inspection."""

import uuid

import pytest

from tests.conftest import make_user
from tests.integration.stock_world import (
    PRODUCT,
    SKU,
    YARD_A,
    add_finished_stock,
    add_work_order,
    build_world,
    gps,
    label,
)


@pytest.fixture
def world(app):
    built = build_world(stock_a="10")
    add_finished_stock(built.loc_a, "2000")
    return built


@pytest.fixture
def worker(auth):
    return auth.headers("warehouse")


def inspected(good_qty: str) -> None:
    add_work_order("WO-20261206-0001", good_qty=good_qty, final_passed_by=make_user("qc1", ["qc"]).id)


def ship(client, headers, world, qty: str, sku: str = PRODUCT, ref: str | None = None):
    body = {"kind": "shipment", "sku": sku, "qty": qty, "ref": ref or world.order}
    body |= {"location_label": label(world.loc_a), "gps": gps(YARD_A)}
    return client.post(
        "/api/v1/stock/moves", json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
    )


def code(response) -> str:
    assert response.status_code == 422, response.json
    assert "fields" in response.json["error"]
    return response.json["error"]["code"]


def test_an_inspected_quantity_ships_against_its_order(client, worker, world):
    inspected("600")
    response = ship(client, worker, world, "600")
    assert response.status_code == 201, response.json
    assert (response.json["ref"], response.json["qty"]) == (world.order, "-600.000")


def test_more_than_passed_final_inspection_is_refused(client, worker, world):
    inspected("600")
    assert ship(client, worker, world, "400").status_code == 201
    assert code(ship(client, worker, world, "201")) == "shipment_exceeds_inspected"


def test_nothing_ships_before_final_inspection(client, worker, world):
    add_work_order("WO-20261206-0001", good_qty="900")  # made, not yet inspected
    assert code(ship(client, worker, world, "1")) == "shipment_exceeds_inspected"


def test_more_than_ordered_is_refused_naming_what_is_left(client, worker, world):
    inspected("1500")  # the order is for 1,000
    assert ship(client, worker, world, "700").status_code == 201
    response = ship(client, worker, world, "301")
    assert code(response) == "shipment_exceeds_order"
    assert "300" in response.json["error"]["message"]


def test_another_sku_than_the_order_product_is_refused(client, worker, world):
    inspected("600")
    assert code(ship(client, worker, world, "1", sku=SKU)) == "sku_not_on_order"


def test_a_work_order_number_is_not_a_shipment_reference(client, worker, world):
    inspected("600")
    assert code(ship(client, worker, world, "1", ref="WO-20261206-0001")) == "shipment_needs_sales_order"
