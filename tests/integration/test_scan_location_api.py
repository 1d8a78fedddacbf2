"""POST /api/v1/scan/location: a location label checked the moment the phone scans it."""

import pytest
from sqlalchemy import select

from domain.audit import AuditLog
from extensions import db
from tests.integration.stock_world import build_world, label


@pytest.fixture
def world(app):
    return build_world()


def check(client, headers, text: str):
    return client.post("/api/v1/scan/location", json={"location_label": text}, headers=headers)


def test_a_signed_label_names_its_location_and_warehouse(client, auth, world):
    response = check(client, auth.headers("warehouse"), label(world.loc_b))
    assert response.status_code == 200, response.json
    assert response.json == {
        "location_id": world.loc_b,
        "location": "B-01",
        "warehouse": "WH-B",
        "warehouse_name": "成品仓",
    }


def test_a_hand_made_label_is_refused_and_audited(client, auth, world):
    forged = label(world.loc_a).rsplit(".", 1)[0] + ".AAAAAAAAAAA?c=A-01"
    response = check(client, auth.headers("warehouse"), forged)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_location_label"
    assert "location_label" in response.json["error"]["fields"]
    audit = db.session.execute(select(AuditLog).where(AuditLog.action == "label_refused")).scalar_one()
    assert audit.changes == {"label": forged}


def test_only_warehouse_staff_check_labels(client, auth, world):
    assert check(client, auth.headers("sales"), label(world.loc_a)).status_code == 403
