"""BOM versions through /api/v1/boms: drafts change, active/retired/locked versions never do."""

import pytest
from sqlalchemy.exc import IntegrityError

from domain import boms
from domain.audit import AuditLog
from domain.masterdata import BomVersion, Product, Sku
from extensions import db


@pytest.fixture
def plant(app):
    """One product and three SKUs (one inactive)."""
    product = Product(model="HX-200", name="外壳 200")
    db.session.add_all(
        [
            product,
            Sku(code="PC-001", name="PC resin", unit="kg"),
            Sku(code="DYE-RED", name="Red masterbatch", unit="kg"),
            Sku(code="OLD-9", name="Discontinued", active=False),
        ]
    )
    db.session.commit()
    return product


@pytest.fixture
def admin(auth):
    return auth.headers("admin")


def draft(client, admin, product, lines=None) -> dict:
    lines = lines if lines is not None else [{"sku_code": "PC-001", "qty_per": "0.25", "scrap_pct": "2"}]
    response = client.post("/api/v1/boms", json={"product_id": product.id, "lines": lines}, headers=admin)
    assert response.status_code == 201, response.json
    return response.json


def activate(client, admin, version_id) -> dict:
    response = client.post(f"/api/v1/boms/{version_id}/activate", headers=admin)
    assert response.status_code == 200, response.json
    return response.json


def test_new_versions_are_numbered_one_two_three(client, admin, plant):
    numbers = [draft(client, admin, plant)["version"] for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_draft_lines_can_be_replaced(client, admin, plant):
    version = draft(client, admin, plant)
    lines = [{"sku_code": "PC-001", "qty_per": "0.3"}, {"sku_code": "DYE-RED", "qty_per": "0.01"}]
    response = client.put(f"/api/v1/boms/{version['id']}/lines", json={"lines": lines}, headers=admin)
    assert response.status_code == 200
    assert [(ln["sku_code"], ln["qty_per"]) for ln in response.json["lines"]] == [
        ("PC-001", "0.300"),
        ("DYE-RED", "0.010"),
    ]


def test_draft_line_can_be_added_edited_and_removed(client, admin, plant):
    version = draft(client, admin, plant)
    url = f"/api/v1/boms/{version['id']}/lines"
    added = client.post(url, json={"sku_code": "DYE-RED", "qty_per": 0.02}, headers=admin).json
    dye = next(ln for ln in added["lines"] if ln["sku_code"] == "DYE-RED")
    edited = client.patch(
        f"{url}/{dye['id']}", json={"qty_per": "0.03", "scrap_pct": "5"}, headers=admin
    ).json
    assert next(ln for ln in edited["lines"] if ln["id"] == dye["id"])["scrap_pct"] == "5.000"
    removed = client.delete(f"{url}/{dye['id']}", headers=admin).json
    assert [ln["sku_code"] for ln in removed["lines"]] == ["PC-001"]


def test_editing_an_active_version_is_refused_with_409(client, admin, plant):
    version = activate(client, admin, draft(client, admin, plant)["id"])
    response = client.put(
        f"/api/v1/boms/{version['id']}/lines",
        json={"lines": [{"sku_code": "PC-001", "qty_per": 9}]},
        headers=admin,
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "bom_version_immutable"


def test_editing_a_locked_version_is_refused_with_409(client, admin, plant):
    version = draft(client, admin, plant)
    boms.lock_bom_version(db.session.get(BomVersion, version["id"]))
    db.session.commit()
    line_id = version["lines"][0]["id"]
    response = client.patch(
        f"/api/v1/boms/{version['id']}/lines/{line_id}", json={"qty_per": 1}, headers=admin
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "bom_version_immutable"
    assert db.session.get(BomVersion, version["id"]).lines[0].qty_per == pytest.approx(0.25)


def test_activating_a_locked_version_is_refused(client, admin, plant):
    version = draft(client, admin, plant)
    boms.lock_bom_version(db.session.get(BomVersion, version["id"]))
    db.session.commit()
    response = client.post(f"/api/v1/boms/{version['id']}/activate", headers=admin)
    assert response.status_code == 409


def test_retired_version_cannot_be_deleted_or_reactivated(client, admin, plant):
    first = activate(client, admin, draft(client, admin, plant)["id"])
    activate(client, admin, draft(client, admin, plant)["id"])
    assert client.post(f"/api/v1/boms/{first['id']}/activate", headers=admin).status_code == 409
    assert client.delete(f"/api/v1/boms/{first['id']}", headers=admin).status_code == 409


def test_activating_retires_the_previous_active_version(client, admin, plant):
    first = activate(client, admin, draft(client, admin, plant)["id"])
    second = activate(client, admin, draft(client, admin, plant)["id"])
    statuses = {
        v["id"]: v["status"] for v in client.get(f"/api/v1/boms?product_id={plant.id}", headers=admin).json
    }
    assert statuses == {first["id"]: "retired", second["id"]: "active"}


def test_older_draft_activated_after_a_newer_one_leaves_one_active(client, admin, plant):
    older = draft(client, admin, plant)
    newer = activate(client, admin, draft(client, admin, plant)["id"])
    activate(client, admin, older["id"])
    versions = db.session.execute(db.select(BomVersion).where(BomVersion.status == "active")).scalars().all()
    assert [v.id for v in versions] == [older["id"]]
    assert db.session.get(BomVersion, newer["id"]).status == "retired"


def test_database_refuses_a_second_active_version(app, plant):
    db.session.add_all([BomVersion(product=plant, version=n, status="active") for n in (1, 2)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_new_version_from_an_active_one_copies_its_lines_as_a_draft(client, admin, plant):
    lines = [
        {"sku_code": "PC-001", "qty_per": "0.25", "scrap_pct": "2"},
        {"sku_code": "DYE-RED", "qty_per": "0.01"},
    ]
    source = activate(client, admin, draft(client, admin, plant, lines)["id"])
    response = client.post(f"/api/v1/boms/{source['id']}/copy", headers=admin)
    assert response.status_code == 201
    copy = response.json
    assert (copy["version"], copy["status"], copy["editable"]) == (2, "draft", True)
    keep = ("sku_code", "qty_per", "scrap_pct")
    assert [{k: ln[k] for k in keep} for ln in copy["lines"]] == [
        {k: ln[k] for k in keep} for ln in source["lines"]
    ]
    assert {ln["id"] for ln in copy["lines"]}.isdisjoint({ln["id"] for ln in source["lines"]})


def test_empty_draft_cannot_be_activated(client, admin, plant):
    version = draft(client, admin, plant, lines=[])
    response = client.post(f"/api/v1/boms/{version['id']}/activate", headers=admin)
    assert response.json["error"]["code"] == "bom_version_empty"


def test_invalid_lines_are_refused_naming_each_field(client, admin, plant):
    lines = [
        {"sku_code": "PC-001", "qty_per": "0", "scrap_pct": "100"},
        {"sku_code": "OLD-9", "qty_per": 1},
        {"sku_code": "NOPE", "qty_per": 1},
        {"sku_code": "PC-001", "qty_per": 1},
    ]
    response = client.post("/api/v1/boms", json={"product_id": plant.id, "lines": lines}, headers=admin)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {
        "lines.0.qty_per",
        "lines.0.scrap_pct",
        "lines.1.sku_code",
        "lines.2.sku_code",
        "lines.3.sku_code",
    }
    assert db.session.execute(db.select(BomVersion)).first() is None


def test_adding_a_sku_already_in_the_draft_is_refused(client, admin, plant):
    version = draft(client, admin, plant)
    response = client.post(
        f"/api/v1/boms/{version['id']}/lines", json={"sku_code": "PC-001", "qty_per": 1}, headers=admin
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "bom_duplicate_sku"
    assert "sku_code" in response.json["error"]["fields"]


def test_line_needs_either_sku_id_or_code(client, admin, plant):
    response = client.post(
        "/api/v1/boms", json={"product_id": plant.id, "lines": [{"qty_per": 1}]}, headers=admin
    )
    assert response.status_code == 422
    assert "lines.0.sku_code" in response.json["error"]["fields"]


def test_bom_edits_are_audited_with_the_changed_lines(client, admin, plant):
    version = draft(client, admin, plant)
    line_id = version["lines"][0]["id"]
    client.patch(f"/api/v1/boms/{version['id']}/lines/{line_id}", json={"qty_per": "0.5"}, headers=admin)
    row = db.session.execute(db.select(AuditLog).where(AuditLog.action == "bom_edit")).scalar_one()
    assert row.changes == {"line PC-001": ["0.25 +2%", "0.5 +0%"]}
    assert row.entity_id == str(version["id"])


def test_any_signed_in_user_reads_boms_but_only_admin_writes(client, auth, plant):
    planner = auth.headers("planner")
    assert client.get(f"/api/v1/boms?product_id={plant.id}", headers=planner).status_code == 200
    body = {"product_id": plant.id, "lines": []}
    assert client.post("/api/v1/boms", json=body, headers=planner).status_code == 403


def test_version_number_taken_meanwhile_is_a_409_not_a_crash(client, admin, plant, monkeypatch):
    draft(client, admin, plant)
    monkeypatch.setattr(boms, "_next_number", lambda _product_id: 1)  # as if another admin numbered it first
    response = client.post("/api/v1/boms", json={"product_id": plant.id, "lines": []}, headers=admin)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "bom_changed_meanwhile"
    assert db.session.execute(db.select(db.func.count(BomVersion.id))).scalar() == 1
