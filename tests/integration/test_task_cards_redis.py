"""Two app processes share events through Redis (DESIGN §12 REDIS_URL): a card created through
process A reaches a leader whose phone is connected to process B. Real gunicorn processes, the real
Redis at 127.0.0.1:6379, a channel of this test run's own so parallel runs do not cross."""

import http.client
import json
import os
import queue
import socket
import uuid
from contextlib import ExitStack

import pytest
import socketio as socketio_client

from domain.users import issue_token
from extensions import db
from tests.integration.gunicorn_server import gunicorn
from tests.integration.production_data import Plant

pytestmark = pytest.mark.slow
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url() -> str:
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("Redis must answer on 127.0.0.1:6379 in CI")
        pytest.skip("no Redis on 127.0.0.1:6379")
    return REDIS_URL


def leader_phone(port: int, token: str) -> tuple[socketio_client.Client, queue.Queue]:
    """A leader's phone on one server: connected, subscribed to its team, cards into a queue."""
    cards: queue.Queue = queue.Queue()
    sio = socketio_client.Client(reconnection=False)
    sio.on("task_card", cards.put)
    sio.connect(
        f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {token}"},
        transports=["websocket"],
        wait_timeout=10,
    )
    answer = sio.call("task_cards_subscribe", {"after": {}}, timeout=10)
    assert answer["ok"], answer
    return sio, cards


def convert(port: int, token: str, order_id: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    conn.request(
        "POST", f"/api/v1/orders/{order_id}/convert", "{}", {**headers, "Content-Type": "application/json"}
    )
    response = conn.getresponse()
    body = json.loads(response.read())
    assert response.status == 201, body
    return body


def test_card_created_on_process_a_reaches_a_leader_on_process_b(app, tmp_path, redis_url):
    plant = Plant()
    order = plant.confirmed_order()
    planner_token, leader_token = issue_token(plant.planner, 1), issue_token(plant.leader, 1)
    db.session.commit()
    shared = {"REDIS_URL": redis_url, "SOCKETIO_CHANNEL": f"oh-test-{uuid.uuid4().hex}"}
    with ExitStack() as servers:
        port_a = servers.enter_context(gunicorn(app.config, tmp_path / "a.log", **shared))
        port_b = servers.enter_context(gunicorn(app.config, tmp_path / "b.log", **shared))
        sio, cards = leader_phone(port_b, leader_token)
        try:
            work_order = convert(port_a, planner_token, order.id)
            card = cards.get(timeout=10)
        finally:
            sio.disconnect()
    assert card["work_order"]["number"] == work_order["number"]
    assert card["team_id"] == plant.team.id and card["seq"] == 1
    assert cards.empty()


def test_processes_on_another_channel_do_not_receive_it(app, tmp_path, redis_url):
    plant = Plant()
    order = plant.confirmed_order()
    planner_token, leader_token = issue_token(plant.planner, 1), issue_token(plant.leader, 1)
    db.session.commit()
    with ExitStack() as servers:
        port_a = servers.enter_context(
            gunicorn(
                app.config,
                tmp_path / "a.log",
                REDIS_URL=redis_url,
                SOCKETIO_CHANNEL=f"oh-a-{uuid.uuid4().hex}",
            )
        )
        port_b = servers.enter_context(
            gunicorn(
                app.config,
                tmp_path / "b.log",
                REDIS_URL=redis_url,
                SOCKETIO_CHANNEL=f"oh-b-{uuid.uuid4().hex}",
            )
        )
        sio, cards = leader_phone(port_b, leader_token)
        try:
            convert(port_a, planner_token, order.id)
            with pytest.raises(queue.Empty):
                cards.get(timeout=2)
        finally:
            sio.disconnect()
