"""POST /api/v1/scan/container: a container label's printed quantity checked the moment it is scanned."""

import pytest
from flask import current_app
from sqlalchemy import select

from domain.audit import AuditLog
from extensions import db
from scanning.label_signing import current_key
from scanning.labels import container_url, label_url
from tests.integration.stock_world import SKU, build_world

BASE = "http://localhost"


@pytest.fixture
def world(app):
    return build_world()


def check(client, headers, text: str):
    return client.post("/api/v1/scan/container", json={"label": text}, headers=headers)


def printed(qty: str) -> str:
    with current_app.test_request_context():
        return container_url(BASE, current_key(), SKU, "L-9", qty)


def test_a_printed_container_label_names_its_lot_and_quantity(client, auth, world):
    response = check(client, auth.headers("warehouse"), printed("25"))
    assert response.status_code == 200, response.json
    assert response.json == {"sku": SKU, "lot": "L-9", "qty": "25"}


def test_a_hand_written_quantity_is_refused_and_audited(client, auth, world):
    forged = printed("25").replace("?q=25.", "?q=250.")
    response = check(client, auth.headers("warehouse"), forged)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_quantity_label"
    assert "qty" in response.json["error"]["fields"]
    audit = db.session.execute(select(AuditLog).where(AuditLog.action == "label_refused")).scalar_one()
    assert audit.changes == {"label": forged}


def test_a_label_of_another_kind_is_not_a_container(client, auth, world):
    response = check(client, auth.headers("warehouse"), label_url(BASE, "sku", SKU))
    assert (response.status_code, response.json["error"]["code"]) == (422, "invalid_label")
