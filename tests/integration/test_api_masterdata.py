"""/api/v1 master data: customers, products, prices, SKUs, workshops, teams, locations, service points."""

import pytest

from domain.audit import AuditLog
from domain.masterdata import Warehouse
from domain.masterdata_admin import service
from extensions import db
from tests.conftest import make_user


def _new(kind: str, **data):
    return service.create(kind, data, None)


def _warehouse(code: str = "WH1", active: bool = True) -> Warehouse:
    warehouse = Warehouse(code=code, name=f"Warehouse {code}", active=active)
    db.session.add(warehouse)
    db.session.commit()
    return warehouse


def _audit(action: str) -> list[AuditLog]:
    return list(db.session.execute(db.select(AuditLog).where(AuditLog.action == action)).scalars())


def _valid_body(kind: str) -> dict:
    """A valid new row of each kind, creating what it must point at."""
    if kind == "prices":
        customer, product = (
            _new("customers", code="C9", name="Cust"),
            _new("products", model="M9", name="Prod"),
        )
        return {"customer_id": customer.id, "product_id": product.id, "unit_price": "3.5", "unit_cost": "2"}
    if kind == "teams":
        leader = make_user("lead9", ["leader"])
        return {
            "code": "T9",
            "name": "Night shift",
            "workshop_id": _new("workshops", code="W9", name="W").id,
            "leader_id": leader.id,
        }
    if kind == "locations":
        return {"warehouse_id": _warehouse().id, "code": "A-01-01"}
    if kind == "service-points":
        return {"code": "SP9", "name": "East", "lat": 22.8, "lon": 113.7}
    key = "model" if kind == "products" else "code"
    return {key: "X9", "name": "Nine"}


# ---- every resource: create, read, list, deactivate ----


@pytest.mark.parametrize(
    "kind", ["customers", "products", "prices", "skus", "workshops", "teams", "locations", "service-points"]
)
def test_admin_creates_reads_lists_and_deactivates_each_kind(client, auth, kind):
    admin = auth.headers("admin")
    created = client.post(f"/api/v1/{kind}", json=_valid_body(kind), headers=admin)
    assert created.status_code == 201, created.json
    row_id = created.json["id"]
    assert client.get(f"/api/v1/{kind}/{row_id}", headers=admin).json["active"] is True
    assert [r["id"] for r in client.get(f"/api/v1/{kind}", headers=admin).json["items"]] == [row_id]
    assert client.post(f"/api/v1/{kind}/{row_id}/deactivate", headers=admin).json["active"] is False


def test_customer_created_with_decimal_as_string(client, auth):
    body = {"code": "C001", "name": "东莞某塑胶", "purchase_12m": "1250000.5", "lat": 22.8, "lon": 113.7}
    response = client.post("/api/v1/customers", json=body, headers=auth.headers("admin"))
    assert response.status_code == 201
    assert response.json["purchase_12m"] in ("1250000.5000", "1250000.5")
    assert (response.json["name"], response.json["lat"], response.json["blocked"]) == (
        "东莞某塑胶",
        22.8,
        False,
    )


def test_price_response_names_customer_and_product(client, auth):
    response = client.post("/api/v1/prices", json=_valid_body("prices"), headers=auth.headers("admin"))
    assert (response.json["customer_code"], response.json["product_model"]) == ("C9", "M9")


# ---- refusals ----


def test_duplicate_customer_code_refused_naming_the_field(client, auth):
    _new("customers", code="C001", name="First")
    response = client.post(
        "/api/v1/customers", json={"code": "c001", "name": "Second"}, headers=auth.headers("admin")
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "duplicate"
    assert list(response.json["error"]["fields"]) == ["code"]


def test_duplicate_slipping_past_the_check_is_refused_by_the_database_the_same_way(client, auth, monkeypatch):
    """Two admins saving the same code at the same moment: both pass the check, the unique index
    refuses the second."""
    _new("workshops", code="W1", name="First")
    monkeypatch.setattr(service, "_duplicate_exists", lambda *_args: False)
    response = client.post(
        "/api/v1/workshops", json={"code": "W1", "name": "Second"}, headers=auth.headers("admin")
    )
    assert (response.status_code, response.json["error"]["code"]) == (409, "duplicate")
    assert list(response.json["error"]["fields"]) == ["code"]
    assert len(_audit("workshop_create")) == 1  # the first workshop's; the refused one left none


def test_duplicate_product_model_refused_naming_model(client, auth):
    _new("products", model="PX-200", name="Box")
    response = client.post(
        "/api/v1/products", json={"model": "PX-200", "name": "Lid"}, headers=auth.headers("admin")
    )
    assert (response.json["error"]["code"], list(response.json["error"]["fields"])) == (
        "duplicate",
        ["model"],
    )


def test_second_price_for_same_customer_and_product_refused(client, auth):
    admin = auth.headers("admin")
    body = _valid_body("prices")
    client.post("/api/v1/prices", json=body, headers=admin)
    response = client.post("/api/v1/prices", json={**body, "unit_price": "4"}, headers=admin)
    assert (response.status_code, list(response.json["error"]["fields"])) == (409, ["product_id"])


def test_same_location_code_allowed_in_another_warehouse(client, auth):
    admin = auth.headers("admin")
    first, second = _warehouse("WH1"), _warehouse("WH2")
    client.post("/api/v1/locations", json={"warehouse_id": first.id, "code": "A-01"}, headers=admin)
    response = client.post(
        "/api/v1/locations", json={"warehouse_id": second.id, "code": "A-01"}, headers=admin
    )
    assert response.status_code == 201


def test_same_location_code_in_same_warehouse_refused(client, auth):
    admin = auth.headers("admin")
    warehouse = _warehouse()
    client.post("/api/v1/locations", json={"warehouse_id": warehouse.id, "code": "A-01"}, headers=admin)
    response = client.post(
        "/api/v1/locations", json={"warehouse_id": warehouse.id, "code": "A-01"}, headers=admin
    )
    assert (response.status_code, list(response.json["error"]["fields"])) == (409, ["code"])


def test_location_in_deactivated_warehouse_refused(client, auth):
    warehouse = _warehouse(active=False)
    response = client.post(
        "/api/v1/locations",
        json={"warehouse_id": warehouse.id, "code": "A-01"},
        headers=auth.headers("admin"),
    )
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["warehouse_id"])


def test_price_for_unknown_customer_refused(client, auth):
    body = {**_valid_body("prices"), "customer_id": 999}
    response = client.post("/api/v1/prices", json=body, headers=auth.headers("admin"))
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["customer_id"])


def test_team_leader_without_leader_role_refused(client, auth):
    sales = make_user("salesman", ["sales"])
    body = {**_valid_body("teams"), "leader_id": sales.id}
    response = client.post("/api/v1/teams", json=body, headers=auth.headers("admin"))
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["leader_id"])


def test_negative_lead_time_refused(client, auth):
    body = {"model": "PX-1", "name": "Box", "std_lead_days": -1}
    response = client.post("/api/v1/products", json=body, headers=auth.headers("admin"))
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["std_lead_days"])


def test_latitude_out_of_range_refused(client, auth):
    body = {"code": "SP1", "name": "East", "lat": 91, "lon": 113}
    response = client.post("/api/v1/service-points", json=body, headers=auth.headers("admin"))
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["lat"])


def test_unknown_id_is_404_in_error_shape(client, auth):
    response = client.get("/api/v1/customers/999", headers=auth.headers("sales"))
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_patch_of_unknown_id_is_404(client, auth):
    response = client.patch("/api/v1/skus/999", json={"name": "x"}, headers=auth.headers("admin"))
    assert response.status_code == 404


# ---- roles ----


def test_any_signed_in_role_reads(client, auth):
    customer = _new("customers", code="C001", name="A")
    assert client.get(f"/api/v1/customers/{customer.id}", headers=auth.headers("leader")).status_code == 200


def test_non_admin_cannot_create(client, auth):
    response = client.post(
        "/api/v1/customers", json={"code": "C1", "name": "A"}, headers=auth.headers("sales")
    )
    assert (response.status_code, response.json["error"]["code"]) == (403, "forbidden")


def test_non_admin_cannot_deactivate(client, auth):
    customer = _new("customers", code="C001", name="A")
    response = client.post(f"/api/v1/customers/{customer.id}/deactivate", headers=auth.headers("planner"))
    assert response.status_code == 403


def test_anonymous_cannot_read(client):
    response = client.get("/api/v1/customers")
    assert (response.status_code, response.json["error"]["code"]) == (401, "unauthorized")


# ---- changes and audit ----


def test_patch_changes_only_the_fields_sent(client, auth):
    customer = _new("customers", code="C001", name="A", address="Dongguan", lat=22.8, lon=113.7)
    response = client.patch(
        f"/api/v1/customers/{customer.id}", json={"name": "B"}, headers=auth.headers("admin")
    )
    assert response.status_code == 200
    assert (response.json["name"], response.json["address"], response.json["lat"]) == ("B", "Dongguan", 22.8)


def test_patch_of_one_coordinate_is_checked_against_the_stored_other(client, auth):
    customer = _new("customers", code="C001", name="A")
    response = client.patch(
        f"/api/v1/customers/{customer.id}", json={"lat": 22.8}, headers=auth.headers("admin")
    )
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["lon"])


def test_patch_to_another_rows_code_refused(client, auth):
    _new("skus", code="R-1", name="Resin")
    other = _new("skus", code="R-2", name="Resin 2")
    response = client.patch(f"/api/v1/skus/{other.id}", json={"code": "R-1"}, headers=auth.headers("admin"))
    assert (response.status_code, response.json["error"]["code"]) == (409, "duplicate")


def test_update_audited_with_before_and_after(client, auth):
    sku = _new("skus", code="R-1", name="Resin", safety_stock="10")
    headers = auth.headers("admin")
    client.patch(f"/api/v1/skus/{sku.id}", json={"safety_stock": "12.5"}, headers=headers)
    (row,) = _audit("sku_update")
    assert row.changes == {"safety_stock": ["10.000", "12.5"]} or row.changes == {
        "safety_stock": ["10", "12.5"]
    }
    assert row.user_id == make_user("admin", ["admin"]).id and row.entity_id == str(sku.id)


def test_create_audited_with_actor(client, auth):
    client.post("/api/v1/workshops", json={"code": "W1", "name": "Moulding"}, headers=auth.headers("admin"))
    (row,) = _audit("workshop_create")
    assert row.changes["code"] == [None, "W1"] and row.user_id is not None


def test_patch_that_changes_nothing_writes_no_audit_row(client, auth):
    sku = _new("skus", code="R-1", name="Resin")
    client.patch(f"/api/v1/skus/{sku.id}", json={"name": "Resin"}, headers=auth.headers("admin"))
    assert _audit("sku_update") == []


def test_deactivate_and_reactivate_are_audited(client, auth):
    headers = auth.headers("admin")
    workshop = _new("workshops", code="W1", name="Moulding")
    client.post(f"/api/v1/workshops/{workshop.id}/deactivate", headers=headers)
    client.post(f"/api/v1/workshops/{workshop.id}/reactivate", headers=headers)
    changes = [r.changes for r in _audit("workshop_deactivate") + _audit("workshop_reactivate")]
    assert changes == [{"active": [True, False]}, {"active": [False, True]}]


def test_deactivating_twice_changes_nothing(client, auth):
    headers = auth.headers("admin")
    workshop = _new("workshops", code="W1", name="Moulding")
    client.post(f"/api/v1/workshops/{workshop.id}/deactivate", headers=headers)
    response = client.post(f"/api/v1/workshops/{workshop.id}/deactivate", headers=headers)
    assert response.status_code == 200 and len(_audit("workshop_deactivate")) == 1


def test_team_not_reactivated_while_its_workshop_is_deactivated(client, auth):
    headers = auth.headers("admin")
    workshop = _new("workshops", code="W1", name="Moulding")
    team = _new("teams", code="T1", name="Day", workshop_id=workshop.id)
    client.post(f"/api/v1/teams/{team.id}/deactivate", headers=headers)
    client.post(f"/api/v1/workshops/{workshop.id}/deactivate", headers=headers)
    response = client.post(f"/api/v1/teams/{team.id}/reactivate", headers=headers)
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["workshop_id"])


# ---- lists ----


def test_list_pages_with_page_and_per_page(client, auth):
    for n in range(25):
        _new("workshops", code=f"W{n:02d}", name=f"Workshop {n}")
    body = client.get("/api/v1/workshops?page=3&per_page=10", headers=auth.headers("sales")).json
    assert (body["total"], body["pages"], body["page"], body["per_page"]) == (25, 3, 3, 10)
    assert [r["code"] for r in body["items"]] == ["W20", "W21", "W22", "W23", "W24"]


def test_list_filters_by_text(client, auth):
    _new("customers", code="C001", name="Acme Plastics")
    _new("customers", code="C002", name="Bolt Works")
    body = client.get("/api/v1/customers?q=plast", headers=auth.headers("sales")).json
    assert [r["code"] for r in body["items"]] == ["C001"]


def test_list_filters_by_active(client, auth):
    _new("customers", code="C001", name="A")
    gone = _new("customers", code="C002", name="B")
    service.set_active("customers", gone.id, False, None)
    headers = auth.headers("sales")
    assert [
        r["code"] for r in client.get("/api/v1/customers?active=true", headers=headers).json["items"]
    ] == ["C001"]
    assert [
        r["code"] for r in client.get("/api/v1/customers?active=false", headers=headers).json["items"]
    ] == ["C002"]
    assert client.get("/api/v1/customers", headers=headers).json["total"] == 2


def test_list_sorts_by_name_descending(client, auth):
    _new("customers", code="C001", name="Alpha")
    _new("customers", code="C002", name="Beta")
    body = client.get("/api/v1/customers?sort=-name", headers=auth.headers("sales")).json
    assert [r["name"] for r in body["items"]] == ["Beta", "Alpha"]


def test_list_refuses_unknown_sort(client, auth):
    response = client.get("/api/v1/customers?sort=address", headers=auth.headers("sales"))
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["sort"])


def test_locations_filtered_by_warehouse(client, auth):
    first, second = _warehouse("WH1"), _warehouse("WH2")
    _new("locations", warehouse_id=first.id, code="A-01")
    _new("locations", warehouse_id=second.id, code="B-01")
    body = client.get(f"/api/v1/locations?warehouse_id={second.id}", headers=auth.headers("warehouse")).json
    assert [r["code"] for r in body["items"]] == ["B-01"]


def test_price_list_searchable_by_customer_name(client, auth):
    body = _valid_body("prices")
    _new("prices", **body)
    found = client.get("/api/v1/prices?q=cust", headers=auth.headers("sales")).json
    assert found["total"] == 1


def test_openapi_describes_masterdata_bodies_and_pages(client):
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert {"CustomerIn", "CustomerOut", "CustomerPage", "TeamChange"} <= set(schemas)
    assert schemas["CustomerOut"]["properties"]["purchase_12m"]["type"] == "string"
    assert "/api/v1/service-points/{row_id}/reactivate" in spec["paths"]
