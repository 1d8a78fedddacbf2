"""GPS fix age and accuracy rules (DESIGN §6) on stock moves and transfer dispatch: refused or flagged."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.audit import AuditLog
from domain.stock.gps_fixes import GpsFix
from domain.stock.ledger import StockMove
from extensions import db
from tests.integration.stock_world import SKU, YARD_A, build_world, gps, label


@pytest.fixture
def world(app):
    return build_world(stock_a="100")


@pytest.fixture
def worker(auth):
    return auth.headers("warehouse")


def iso(moment: datetime) -> str:
    return moment.isoformat()


def now() -> datetime:
    return datetime.now(UTC)


def move(client, headers, world, fix: dict):
    body = {"kind": "issue", "sku": SKU, "qty": "5", "location_label": label(world.loc_a), "gps": fix}
    return client.post(
        "/api/v1/stock/moves", json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
    )


def refused(response) -> dict:
    assert response.status_code == 422, response.json
    assert set(response.json["error"]) >= {"code", "message", "fields"}
    assert "gps" in response.json["error"]["fields"]
    return response.json["error"]


def moves() -> int:
    return len(db.session.execute(select(StockMove.id)).all())


def test_a_fix_taken_a_day_ago_is_refused_as_stale(client, worker, world):
    before = moves()
    error = refused(move(client, worker, world, gps(YARD_A, at=iso(now() - timedelta(days=1)))))
    assert error["code"] == "gps_fix_stale"
    assert moves() == before


def test_a_fix_dated_in_2030_is_refused_as_from_the_future(client, worker, world):
    before = moves()
    error = refused(move(client, worker, world, gps(YARD_A, at="2030-01-01T08:00:00+00:00")))
    assert error["code"] == "gps_fix_from_future"
    assert moves() == before


def test_the_refused_old_fix_is_logged_and_audited(client, worker, world):
    move(client, worker, world, gps(YARD_A, at=iso(now() - timedelta(days=1))))
    audit = db.session.execute(select(AuditLog).where(AuditLog.action == "refused")).scalar_one()
    assert audit.changes["code"] == "gps_fix_stale"
    assert db.session.execute(select(GpsFix.purpose)).scalar_one() == "refused:gps_fix_stale"


def test_the_age_limit_is_a_setting(app, client, worker, world):
    app.config["GPS_MAX_FIX_AGE_SECONDS"] = 600
    response = move(client, worker, world, gps(YARD_A, at=iso(now() - timedelta(minutes=5))))
    assert response.status_code == 201, response.json


def test_accuracy_zero_is_accepted_but_flagged(client, worker, world):
    response = move(client, worker, world, gps(YARD_A, accuracy=0))
    assert response.status_code == 201, response.json
    assert response.json["gps_flags"] == ["no_accuracy"]
    flagged = db.session.execute(select(AuditLog).where(AuditLog.action == "gps_flagged")).scalar_one()
    assert flagged.changes == {"flags": ["no_accuracy"]}


def test_missing_accuracy_is_accepted_but_flagged(client, worker, world):
    fix = gps(YARD_A)
    del fix["accuracy"]
    response = move(client, worker, world, fix)
    assert response.status_code == 201, response.json
    assert response.json["gps_flags"] == ["no_accuracy"]


def test_a_scan_queued_offline_is_aged_at_its_confirmation_and_flagged_late(client, worker, world):
    confirmed = now() - timedelta(hours=2)
    fix = gps(YARD_A, at=iso(confirmed - timedelta(seconds=15)), confirmed_at=iso(confirmed))
    response = move(client, worker, world, fix)
    assert response.status_code == 201, response.json
    assert response.json["gps_flags"] == ["sent_late"]


def test_a_stale_fix_cannot_dispatch_a_transfer(client, worker, world):
    body = {"order_ref": world.order, "sku": SKU, "qty": "5"}
    body |= {"from_warehouse": "WH-A", "to_warehouse": "WH-B"}
    headers = {**worker, "Idempotency-Key": uuid.uuid4().hex}
    transfer = client.post("/api/v1/transfers", json=body, headers=headers).json["id"]
    pick = {"location_label": label(world.loc_a), "gps": gps(YARD_A)}
    headers = {**worker, "Idempotency-Key": uuid.uuid4().hex}
    assert client.post(f"/api/v1/transfers/{transfer}/pick", json=pick, headers=headers).status_code == 200
    old = {"gps": gps(YARD_A, at=iso(now() - timedelta(hours=1)))}
    headers = {**worker, "Idempotency-Key": uuid.uuid4().hex}
    response = client.post(f"/api/v1/transfers/{transfer}/dispatch", json=old, headers=headers)
    assert refused(response)["code"] == "gps_fix_stale"
