"""Warehouses through /api/v1/warehouses: capacity, address, and the fence as GeoJSON in and out."""

import pytest

from domain.audit import AuditLog
from domain.masterdata import Warehouse
from extensions import db

# A yard near lon 113.75, lat 23.02 (Dongguan), counter-clockwise as stored.
YARD = {
    "type": "Polygon",
    "coordinates": [
        [[113.75, 23.02], [113.752, 23.02], [113.752, 23.021], [113.75, 23.021], [113.75, 23.02]]
    ],
}


@pytest.fixture
def admin(auth):
    return auth.headers("admin")


def create(client, admin, **fields) -> dict:
    body = {"code": "WH-RAW", "name": "原料仓", "address": "东莞市长安镇", "capacity": "5000", **fields}
    response = client.post("/api/v1/warehouses", json=body, headers=admin)
    assert response.status_code == 201, response.json
    return response.json


def test_warehouse_is_created_with_address_and_capacity(client, admin):
    created = create(client, admin)
    assert (created["code"], created["address"], created["capacity"], created["has_fence"]) == (
        "WH-RAW",
        "东莞市长安镇",
        "5000.000",
        False,
    )


def test_fence_put_as_feature_comes_back_as_feature_with_code_and_name(client, admin):
    warehouse = create(client, admin)
    feature = {"type": "Feature", "properties": {}, "geometry": YARD}
    put = client.put(f"/api/v1/warehouses/{warehouse['id']}/fence", json=feature, headers=admin)
    assert put.status_code == 200
    got = client.get(f"/api/v1/warehouses/{warehouse['id']}/fence", headers=admin)
    assert got.status_code == 200
    assert got.mimetype == "application/geo+json"
    assert got.json == {
        "type": "Feature",
        "geometry": YARD,
        "properties": {"code": "WH-RAW", "name": "原料仓"},
    }


def test_fence_given_at_creation_is_stored_normalised(client, admin):
    clockwise = {"type": "Polygon", "coordinates": [list(reversed(YARD["coordinates"][0]))]}
    warehouse = create(client, admin, fence=clockwise)
    assert warehouse["has_fence"] is True
    assert db.session.get(Warehouse, warehouse["id"]).fence == YARD


def test_invalid_fence_is_refused_and_nothing_is_saved(client, admin):
    warehouse = create(client, admin)
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [[113.75, 23.02], [113.752, 23.021], [113.752, 23.02], [113.75, 23.021], [113.75, 23.02]]
        ],
    }
    response = client.put(f"/api/v1/warehouses/{warehouse['id']}/fence", json=bow_tie, headers=admin)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "fence_self_intersection"
    assert "fence" in response.json["error"]["fields"]
    assert db.session.get(Warehouse, warehouse["id"]).fence is None


def test_creation_with_a_bad_fence_creates_nothing(client, admin):
    body = {"code": "WH-X", "name": "X", "fence": {"type": "Point", "coordinates": [113.75, 23.02]}}
    response = client.post("/api/v1/warehouses", json=body, headers=admin)
    assert response.json["error"]["code"] == "fence_not_polygon"
    assert db.session.execute(db.select(Warehouse)).first() is None


def test_warehouse_without_fence_answers_404_fence_not_set(client, admin):
    warehouse = create(client, admin)
    response = client.get(f"/api/v1/warehouses/{warehouse['id']}/fence", headers=admin)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "fence_not_set"


def test_fence_can_be_cleared(client, admin):
    warehouse = create(client, admin, fence=YARD)
    assert client.delete(f"/api/v1/warehouses/{warehouse['id']}/fence", headers=admin).status_code == 204
    assert db.session.get(Warehouse, warehouse["id"]).fence is None


def test_negative_capacity_is_refused_naming_the_field(client, admin):
    response = client.post(
        "/api/v1/warehouses", json={"code": "W", "name": "W", "capacity": -1}, headers=admin
    )
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"capacity"}


def test_duplicate_code_is_refused(client, admin):
    create(client, admin)
    response = client.post("/api/v1/warehouses", json={"code": "wh-raw", "name": "Again"}, headers=admin)
    assert response.json["error"]["fields"].keys() == {"code"}


def test_patch_changes_only_the_given_fields_and_is_audited(client, admin):
    warehouse = create(client, admin)
    response = client.patch(f"/api/v1/warehouses/{warehouse['id']}", json={"capacity": 8000}, headers=admin)
    assert (response.json["capacity"], response.json["name"]) == ("8000.000", "原料仓")
    row = db.session.execute(db.select(AuditLog).where(AuditLog.action == "warehouse_edit")).scalar_one()
    assert row.changes == {"capacity": ["5000", "8000"]}


def test_list_is_paginated(client, admin):
    for n in range(3):
        create(client, admin, code=f"WH-{n}")
    response = client.get("/api/v1/warehouses?page=2&per_page=2", headers=admin)
    assert [w["code"] for w in response.json["items"]] == ["WH-2"]
    assert (response.json["total"], response.json["pages"]) == (3, 2)


def test_list_searches_code_name_and_address(client, admin):
    create(client, admin)
    create(client, admin, code="WH-FG", name="成品仓", address="深圳")
    response = client.get("/api/v1/warehouses?q=长安", headers=admin)
    assert [w["code"] for w in response.json["items"]] == ["WH-RAW"]


def test_any_user_reads_fences_but_only_admin_writes(client, admin, auth):
    warehouse = create(client, admin, fence=YARD)
    worker = auth.headers("warehouse")
    assert client.get(f"/api/v1/warehouses/{warehouse['id']}/fence", headers=worker).status_code == 200
    assert (
        client.put(f"/api/v1/warehouses/{warehouse['id']}/fence", json=YARD, headers=worker).status_code
        == 403
    )
