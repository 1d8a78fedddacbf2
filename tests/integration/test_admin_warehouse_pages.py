"""Warehouse admin pages: create, edit, fence pasted or uploaded as GeoJSON and downloaded back."""

import io
import json
import re

import pytest

from domain.masterdata import Warehouse
from extensions import db
from tests.conftest import make_user

# Clockwise on purpose: the app stores it counter-clockwise (RFC 7946).
YARD = {
    "type": "Polygon",
    "coordinates": [
        [[113.75, 23.02], [113.75, 23.021], [113.752, 23.021], [113.752, 23.02], [113.75, 23.02]]
    ],
}
STORED = {
    "type": "Polygon",
    "coordinates": [
        [[113.75, 23.02], [113.752, 23.02], [113.752, 23.021], [113.75, 23.021], [113.75, 23.02]]
    ],
}


@pytest.fixture
def warehouse(app, auth):
    auth.login("admin")
    row = Warehouse(code="WH-RAW", name="原料仓")
    db.session.add(row)
    db.session.commit()
    return row


def upload(client, warehouse_id: int, content: bytes, name: str = "yard.geojson"):
    data = {"geojson": "", "upload": (io.BytesIO(content), name)}
    return client.post(
        f"/admin/warehouses/{warehouse_id}/fence", data=data, content_type="multipart/form-data"
    )


def test_admin_creates_a_warehouse_from_the_form(client, auth):
    auth.login("admin")
    form = {"code": "WH-FG", "name": "成品仓", "address": "东莞", "capacity": "1200", "active": "y"}
    response = client.post("/admin/warehouses/new", data=form)
    assert response.status_code == 302
    row = db.session.execute(db.select(Warehouse)).scalar_one()
    assert (row.code, row.capacity, row.active) == ("WH-FG", 1200, True)


def test_negative_capacity_is_shown_under_the_field(client, warehouse):
    response = client.post(
        f"/admin/warehouses/{warehouse.id}", data={"code": "WH-RAW", "name": "X", "capacity": "-5"}
    )
    assert response.status_code == 422
    assert "Enter 0 (no limit) or a positive number of units." in response.get_data(as_text=True)


def test_uploaded_geojson_file_downloads_back_equal(client, warehouse):
    feature = {"type": "Feature", "properties": {"code": "WH-RAW", "name": "原料仓"}, "geometry": STORED}
    assert upload(client, warehouse.id, json.dumps(feature).encode()).status_code == 302
    download = client.get(f"/admin/warehouses/{warehouse.id}/fence.geojson")
    assert download.status_code == 200
    assert download.mimetype == "application/geo+json"
    assert 'filename="warehouse-WH-RAW.geojson"' in download.headers["Content-Disposition"]
    assert json.loads(download.data) == feature


def test_pasted_polygon_is_stored_normalised(client, warehouse):
    response = client.post(f"/admin/warehouses/{warehouse.id}/fence", data={"geojson": json.dumps(YARD)})
    assert response.status_code == 302
    assert db.session.get(Warehouse, warehouse.id).fence == STORED


def test_bad_polygon_is_refused_on_the_page_and_kept_in_the_textarea(client, warehouse):
    open_ring = {"type": "Polygon", "coordinates": [YARD["coordinates"][0][:-1]]}
    response = client.post(f"/admin/warehouses/{warehouse.id}/fence", data={"geojson": json.dumps(open_ring)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "is not closed" in page
    assert "113.752" in page
    assert db.session.get(Warehouse, warehouse.id).fence is None


def test_uploaded_file_that_is_not_json_is_refused(client, warehouse):
    response = upload(client, warehouse.id, b"<kml>not geojson</kml>", "yard.kml")
    assert response.status_code == 422
    assert "not valid JSON" in response.get_data(as_text=True)


def test_fence_can_be_removed(client, warehouse):
    client.post(f"/admin/warehouses/{warehouse.id}/fence", data={"geojson": json.dumps(YARD)})
    assert client.post(f"/admin/warehouses/{warehouse.id}/fence/clear").status_code == 302
    assert db.session.get(Warehouse, warehouse.id).fence is None
    assert client.get(f"/admin/warehouses/{warehouse.id}/fence.geojson").status_code == 404


def test_list_shows_which_warehouses_lack_a_fence(client, warehouse):
    page = client.get("/admin/warehouses/").get_data(as_text=True)
    assert 'data-warehouse="WH-RAW"' in page
    assert "No fence" in page


def test_warehouse_pages_are_for_admins_only(client, auth):
    auth.login("warehouse")
    assert client.get("/admin/warehouses/").status_code == 403


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_fence_form_without_csrf_token_is_refused(client, app):
    make_user("boss", ["admin"])
    row = Warehouse(code="WH-RAW", name="原料仓")
    db.session.add(row)
    db.session.commit()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    )
    signed_in = client.post("/login", data={"username": "boss", "password": "demo", "csrf_token": token[1]})
    assert signed_in.status_code == 302
    response = client.post(f"/admin/warehouses/{row.id}/fence", data={"geojson": json.dumps(YARD)})
    assert response.status_code == 400
    assert db.session.get(Warehouse, row.id).fence is None
