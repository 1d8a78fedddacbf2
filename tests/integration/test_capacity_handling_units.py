"""Warehouse capacity in handling units (DESIGN §6): each SKU converts its own unit, grams of resin
and pieces of cartons are never summed, and a refusal names the units."""

import uuid
from decimal import Decimal

import pytest
from shapely.geometry import shape
from sqlalchemy import select

from domain.masterdata import Location, Sku, Warehouse
from domain.stock.capacity import remaining_capacity
from domain.transactions import write_transaction
from extensions import db
from tests.integration.stock_world import SKU, YARD_B, build_world, gps, label


def receive(client, headers, location_id: int, fix: dict, sku: str, qty: str):
    body = {"kind": "receipt", "sku": sku, "qty": qty, "location_label": label(location_id), "gps": fix}
    return client.post(
        "/api/v1/stock/moves", json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
    )


def inside(warehouse: Warehouse) -> dict:
    point = shape(warehouse.fence).representative_point()
    return {"lat": point.y, "lon": point.x, "accuracy": 6.5}


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def raw_material_warehouse() -> tuple[Warehouse, int]:
    warehouse = db.session.execute(select(Warehouse).where(Warehouse.code == "WH-RM")).scalar_one()
    location = db.session.execute(
        select(Location.id).where(Location.warehouse_id == warehouse.id).order_by(Location.code)
    ).scalar()
    return warehouse, location


def test_the_demo_raw_material_warehouse_accepts_a_resin_and_a_carton_receipt(demo, client, auth):
    worker = auth.headers("warehouse")
    warehouse, location = raw_material_warehouse()
    with write_transaction():
        free = remaining_capacity(warehouse.id, warehouse.capacity)
    assert 0 < free < warehouse.capacity  # some pallet positions taken, room left
    resin = receive(client, worker, location, inside(warehouse), "R-ABS-757", "500000")  # 500 kg in grams
    assert resin.status_code == 201, resin.json
    cartons = receive(client, worker, location, inside(warehouse), "PK-CTN-01", "500")
    assert cartons.status_code == 201, cartons.json
    with write_transaction():
        # 500 kg of resin is half a pallet (1,000 kg each), 500 cartons two pallets (250 each).
        assert remaining_capacity(warehouse.id, warehouse.capacity) == free - Decimal("2.5")


def test_capacity_counts_each_sku_in_its_own_handling_units(app):
    world = build_world(capacity_b="10")
    db.session.execute(db.update(Sku).where(Sku.code == SKU).values(units_per_handling_unit=Decimal(1000)))
    db.session.add(Sku(code="PK-CTN", name="纸箱", unit="pcs", units_per_handling_unit=Decimal(250)))
    db.session.commit()
    from tests.integration.stock_world import put_stock

    put_stock(world.loc_b, "2500")  # 2.5 pallets of resin (kg)
    put_stock(world.loc_b, "1000", sku_code="PK-CTN")  # 4 pallets of cartons
    target = db.session.execute(select(Warehouse).where(Warehouse.code == world.b)).scalar_one()
    with write_transaction():
        assert remaining_capacity(target.id, target.capacity) == Decimal("3.5")


def test_a_capacity_refusal_names_the_handling_units(app, client, auth):
    world = build_world(capacity_b="3")
    db.session.execute(db.update(Sku).where(Sku.code == SKU).values(units_per_handling_unit=Decimal(1000)))
    db.session.commit()
    response = receive(client, auth.headers("warehouse"), world.loc_b, gps(YARD_B), SKU, "3500")
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "target_capacity_exceeded"
    assert "pallet positions" in error["message"]
    assert "3.5" in error["message"] and "room for 3 " in error["message"]
    assert "qty" in error["fields"]


def test_a_capacity_refusal_in_chinese_names_the_units(app, client, auth):
    world = build_world(capacity_b="1")
    headers = {**auth.headers("warehouse"), "Accept-Language": "zh-CN"}
    response = receive(client, headers, world.loc_b, gps(YARD_B), SKU, "2")
    assert response.status_code == 422, response.json
    assert "托盘位" in response.json["error"]["message"]
