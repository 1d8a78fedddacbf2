"""Routings through /api/v1/routings: add, edit, remove and reorder steps, each in an active workshop."""

import pytest

from domain.audit import AuditLog
from domain.masterdata import Product, Workshop
from extensions import db


@pytest.fixture
def plant(app):
    product = Product(model="HX-200", name="外壳 200")
    molding = Workshop(code="INJ", name="注塑车间")
    assembly = Workshop(code="ASM", name="装配车间")
    closed = Workshop(code="OLD", name="旧车间", active=False)
    db.session.add_all([product, molding, assembly, closed])
    db.session.commit()
    return {"product": product.id, "INJ": molding.id, "ASM": assembly.id, "OLD": closed.id}


@pytest.fixture
def admin(auth):
    return auth.headers("admin")


def add(client, admin, plant, name, workshop="INJ", **extra) -> dict:
    body = {"name": name, "workshop_id": plant[workshop], **extra}
    response = client.post(f"/api/v1/routings/{plant['product']}/steps", json=body, headers=admin)
    assert response.status_code == 201, response.json
    return response.json


def names(routing: dict) -> list[tuple[int, str]]:
    return [(s["seq"], s["name"]) for s in routing["steps"]]


def test_steps_are_appended_in_order(client, admin, plant):
    add(client, admin, plant, "注塑", setup_minutes=45, seconds_per_unit="32.5")
    routing = add(client, admin, plant, "装配", "ASM")
    assert names(routing) == [(1, "注塑"), (2, "装配")]
    assert routing["steps"][0]["workshop_code"] == "INJ"
    assert routing["steps"][0]["seconds_per_unit"] == "32.50"


def test_step_can_be_edited_partially(client, admin, plant):
    step = add(client, admin, plant, "注塑")["steps"][0]
    url = f"/api/v1/routings/{plant['product']}/steps/{step['id']}"
    response = client.patch(url, json={"workshop_id": plant["ASM"], "setup_minutes": 10}, headers=admin)
    assert response.status_code == 200
    edited = response.json["steps"][0]
    assert (edited["name"], edited["workshop_code"], edited["setup_minutes"]) == ("注塑", "ASM", 10)


def test_removing_a_step_renumbers_the_rest(client, admin, plant):
    first = add(client, admin, plant, "A")["steps"][0]
    add(client, admin, plant, "B")
    add(client, admin, plant, "C")
    response = client.delete(f"/api/v1/routings/{plant['product']}/steps/{first['id']}", headers=admin)
    assert names(response.json) == [(1, "B"), (2, "C")]


def test_steps_can_be_reordered(client, admin, plant):
    for name in "ABC":
        routing = add(client, admin, plant, name)
    a, b, c = (s["id"] for s in routing["steps"])
    response = client.put(
        f"/api/v1/routings/{plant['product']}/order", json={"step_ids": [c, a, b]}, headers=admin
    )
    assert response.status_code == 200
    assert names(response.json) == [(1, "C"), (2, "A"), (3, "B")]


def test_reorder_must_list_every_step_once(client, admin, plant):
    for name in "AB":
        routing = add(client, admin, plant, name)
    a, _b = (s["id"] for s in routing["steps"])
    response = client.put(
        f"/api/v1/routings/{plant['product']}/order", json={"step_ids": [a, a]}, headers=admin
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "routing_order_mismatch"


def test_inactive_workshop_is_refused(client, admin, plant):
    body = {"name": "X", "workshop_id": plant["OLD"]}
    response = client.post(f"/api/v1/routings/{plant['product']}/steps", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "workshop_unavailable"
    assert "OLD" in response.json["error"]["fields"]["workshop_id"]


def test_unknown_workshop_is_refused(client, admin, plant):
    body = {"name": "X", "workshop_id": 999}
    response = client.post(f"/api/v1/routings/{plant['product']}/steps", json=body, headers=admin)
    assert response.json["error"]["fields"].keys() == {"workshop_id"}


def test_negative_times_are_refused_naming_the_fields(client, admin, plant):
    body = {"name": "X", "workshop_id": plant["INJ"], "setup_minutes": -1, "seconds_per_unit": "-2"}
    response = client.post(f"/api/v1/routings/{plant['product']}/steps", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json["error"]["fields"].keys() == {"setup_minutes", "seconds_per_unit"}


def test_unknown_product_is_404(client, admin, plant):
    assert client.get("/api/v1/routings/999", headers=admin).status_code == 404


def test_routing_changes_are_audited(client, admin, plant):
    add(client, admin, plant, "注塑")
    row = db.session.execute(db.select(AuditLog).where(AuditLog.action == "routing_edit")).scalar_one()
    assert row.changes == {"step 1": [None, "注塑 @ INJ (0 min + 0 s/unit)"]}


def test_any_user_reads_routings_but_only_admin_writes(client, auth, plant):
    leader = auth.headers("leader")
    assert client.get(f"/api/v1/routings/{plant['product']}", headers=leader).status_code == 200
    body = {"name": "X", "workshop_id": plant["INJ"]}
    assert (
        client.post(f"/api/v1/routings/{plant['product']}/steps", json=body, headers=leader).status_code
        == 403
    )
