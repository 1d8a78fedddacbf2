"""Web Push (DESIGN §4): a device registers its subscription; a new card reaches it through the
outbox, encrypted so that only that device's keys open it (RFC 8291); a subscription the push
service dropped (410) is removed and never retried."""

import json
import uuid

import pytest
from sqlalchemy import select

from domain.delivery import worker
from domain.delivery.models import DROPPED, SENT, WEB_PUSH, OutboxMessage, PushSubscription
from domain.production.models import TaskCard
from extensions import db
from tests.integration.production_data import Plant
from tests.integration.push_fake import BrowserKeys, FakePushService, b64


@pytest.fixture
def push():
    service = FakePushService()
    yield service
    service.stop()


def subscribe(client, auth, endpoint: str, keys: BrowserKeys, role: str = "leader"):
    body = {"endpoint": endpoint, "keys": {"p256dh": keys.p256dh, "auth": b64(keys.auth)}}
    return client.post("/api/v1/push/subscriptions", json=body, headers=auth.headers(role))


def convert(client, auth, order_id: int) -> dict:
    headers = {**auth.headers("planner"), "Idempotency-Key": uuid.uuid4().hex}
    response = client.post(f"/api/v1/orders/{order_id}/convert", json={}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_the_public_key_is_a_p256_point(client, auth):
    key = client.get("/api/v1/push/key", headers=auth.headers("leader")).json["public_key"]
    raw = __import__("base64").urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4  # uncompressed P-256


def test_a_card_reaches_the_leaders_device_encrypted_for_its_keys(app, client, auth, push):
    plant = Plant()
    keys = BrowserKeys()
    assert subscribe(client, auth, push.endpoint("leader-phone"), keys).status_code == 201
    work_order = convert(client, auth, plant.confirmed_order(quantity=300).id)
    [row] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == WEB_PUSH)).all()
    assert worker.run_once() == 1
    [(headers, body)] = push.received["/push/leader-phone"]
    headers = {k.lower(): v for k, v in headers.items()}
    assert headers["content-encoding"] == "aes128gcm" and headers["authorization"].startswith("vapid t=")
    message = json.loads(keys.decrypt(body))
    assert message["title"] == f"New task card {work_order['number']}"
    card_id = db.session.scalar(select(TaskCard.id).where(TaskCard.work_order_id == work_order["id"]))
    assert message["url"] == f"/leader#card-{card_id}"  # the notification opens the card
    db.session.refresh(row)
    assert row.state == SENT


def test_a_dropped_subscription_is_removed_and_not_retried(app, client, auth, push):
    plant = Plant()
    subscribe(client, auth, push.endpoint("old-phone"), BrowserKeys())
    push.gone.add("/push/old-phone")
    convert(client, auth, plant.confirmed_order().id)
    assert worker.run_once() == 0
    assert db.session.scalars(select(PushSubscription)).all() == []
    [row] = db.session.scalars(select(OutboxMessage)).all()
    db.session.refresh(row)
    assert row.state == DROPPED
    assert worker.run_once() == 0  # never again


def test_bad_keys_are_refused_with_the_field_named(client, auth):
    body = {"endpoint": "https://push.example/x", "keys": {"p256dh": "short", "auth": "x"}}
    response = client.post("/api/v1/push/subscriptions", json=body, headers=auth.headers("leader"))
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"keys.p256dh", "keys.auth"}


def test_turning_off_removes_this_devices_subscription(client, auth, push):
    subscribe(client, auth, push.endpoint("p"), BrowserKeys())
    response = client.delete(
        "/api/v1/push/subscriptions", json={"endpoint": push.endpoint("p")}, headers=auth.headers("leader")
    )
    assert response.status_code == 204
    assert db.session.scalars(select(PushSubscription)).all() == []


def test_my_settings_mute_a_kind_and_hold_notices_in_quiet_hours(app, client, auth, push):
    from datetime import datetime, timedelta
    from unittest import mock

    from domain import clock

    plant = Plant()
    subscribe(client, auth, push.endpoint("leader-phone"), BrowserKeys())
    auth.login("leader")
    page = client.get("/me/notifications")
    assert page.status_code == 200 and 'data-testid="on-task_card-web_push"' in page.text
    form = {"change_notice:web_push": "1", "quiet_from": "22:00", "quiet_to": "07:00"}  # cards muted here
    assert client.post("/me/notifications", data=form).status_code == 302
    bad = client.post("/me/notifications", data={"quiet_from": "25:00", "quiet_to": "07:00"})
    assert bad.status_code == 422 and "HH:MM" in bad.text
    client.post("/logout")

    order = plant.confirmed_order()
    convert(client, auth, order.id)
    assert db.session.scalars(select(OutboxMessage)).all() == []  # task cards muted on this channel
    night = datetime(2026, 12, 7, 23, 30, tzinfo=clock.plant_zone())
    with mock.patch.object(clock, "plant_now", return_value=night):
        response = client.patch(
            f"/api/v1/orders/{order.id}", json={"packaging": "木托盘"}, headers=auth.headers("admin")
        )
    assert response.status_code == 200, response.json
    [row] = db.session.scalars(select(OutboxMessage)).all()
    assert row.kind == "change_notice"
    assert row.next_attempt_at == clock.as_utc(night.replace(hour=7, minute=0) + timedelta(days=1))  # 07:00
