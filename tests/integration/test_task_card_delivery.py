"""Task cards over Socket.IO (DESIGN §4): pushed to the team's room only after the conversion
commits; a leader who was away subscribes with the last seq seen and gets exactly the cards missed,
in order; actions on a card reach the team and the planners."""

import uuid

import pytest
from flask import g
from flask_socketio import SocketIOTestClient

from extensions import socketio
from tests.conftest import FreshUserClient, make_user
from tests.integration import order_data as data
from tests.integration.production_data import Plant


@pytest.fixture
def plant(app):
    return Plant()


def phone(app, username: str) -> FreshUserClient:
    app.test_client_class = FreshUserClient
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "demo"})
    return client


def connect(app, client) -> SocketIOTestClient:
    g.pop("_login_user", None)  # each socket event reads its own session's user, as on a server
    return socketio.test_client(app, flask_test_client=client)


def subscribe(sock: SocketIOTestClient, after: dict[int, int] | None = None) -> dict:
    g.pop("_login_user", None)
    return sock.emit("task_cards_subscribe", {"after": after or {}}, callback=True)


def bearer(app, username: str) -> tuple[FreshUserClient, dict[str, str]]:
    """A phone using the API with a token; each call adds its own Idempotency-Key."""
    app.test_client_class = FreshUserClient
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": username, "password": "demo"}).json["token"]
    return client, {"Authorization": f"Bearer {token}"}


def convert(app, order_id: int):
    planner, headers = bearer(app, "planner")
    headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}
    return planner.post(f"/api/v1/orders/{order_id}/convert", json={}, headers=headers)


def received(sock: SocketIOTestClient, name: str) -> list[dict]:
    return [e["args"][0] for e in sock.get_received() if e["name"] == name]


def test_connected_leader_receives_the_card_after_commit(app, plant):
    sock = connect(app, phone(app, "leader"))
    answer = subscribe(sock)
    assert answer == {"ok": True, "teams": [plant.team.id], "cards": [], "more": False}
    response = convert(app, plant.confirmed_order().id)
    assert response.status_code == 201
    cards = received(sock, "task_card")
    assert [(c["seq"], c["work_order"]["number"]) for c in cards] == [(1, response.json["number"])]
    assert cards[0]["status"] == "new" and cards[0]["operations"][0]["machine"] == "IM-01"
    sock.disconnect()


def test_a_refused_conversion_pushes_nothing(app, plant):
    sock = connect(app, phone(app, "leader"))
    subscribe(sock)
    quote = data.order_in_stage(plant.customer, plant.product, "quote", number="SO-Q-9")
    assert convert(app, quote.id).status_code == 409
    assert received(sock, "task_card") == []
    sock.disconnect()


def test_reconnecting_leader_gets_exactly_the_missed_cards_in_order(app, plant):
    sock = connect(app, phone(app, "leader"))
    subscribe(sock)
    convert(app, plant.confirmed_order().id)
    seen = received(sock, "task_card")
    last_seq = seen[-1]["seq"]
    sock.disconnect()

    missed = [convert(app, plant.confirmed_order().id).json["number"] for _ in range(3)]

    again = connect(app, phone(app, "leader"))
    answer = subscribe(again, {plant.team.id: last_seq})
    assert [c["work_order"]["number"] for c in answer["cards"]] == missed
    assert [c["seq"] for c in answer["cards"]] == [2, 3, 4]
    # and the room is joined again: the next card arrives live, once
    fourth = convert(app, plant.confirmed_order().id).json["number"]
    assert [c["work_order"]["number"] for c in received(again, "task_card")] == [fourth]
    again.disconnect()


def test_a_new_phone_without_a_seq_gets_the_open_cards(app, plant):
    for _ in range(2):
        convert(app, plant.confirmed_order().id)
    sock = connect(app, phone(app, "leader"))
    assert [c["seq"] for c in subscribe(sock)["cards"]] == [1, 2]
    sock.disconnect()


def test_other_teams_do_not_receive_the_card(app, plant):
    data.team_with_leader(make_user("leader2", ["leader"]).id, "W2")
    other = connect(app, phone(app, "leader2"))
    subscribe(other)
    convert(app, plant.confirmed_order().id)
    assert received(other, "task_card") == []
    other.disconnect()


def test_card_actions_reach_the_team_and_the_planners(app, plant):
    convert(app, plant.confirmed_order().id)
    sock = connect(app, phone(app, "leader"))
    card_id = subscribe(sock)["cards"][0]["id"]
    planner_sock = connect(app, phone(app, "planner"))
    api, headers = bearer(app, "leader")
    headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}
    assert api.post(f"/api/v1/task-cards/{card_id}/acknowledge", headers=headers).status_code == 200
    updates = received(sock, "task_card_update")
    assert [(u["id"], u["status"]) for u in updates] == [(card_id, "acknowledged")]
    board = received(planner_sock, "work_order_update")
    assert [(b["status"], b["card_status"]) for b in board] == [("acknowledged", "acknowledged")]
    sock.disconnect()
    planner_sock.disconnect()


def test_a_long_absence_comes_back_in_several_answers(app, plant, monkeypatch):
    monkeypatch.setattr("domain.production.task_cards.REPLAY_LIMIT", 2)
    missed = [convert(app, plant.confirmed_order().id).json["number"] for _ in range(3)]
    sock = connect(app, phone(app, "leader"))
    first = subscribe(sock, {plant.team.id: 0})
    assert [c["seq"] for c in first["cards"]] == [1, 2] and first["more"] is True
    rest = subscribe(sock, {plant.team.id: 2})
    assert [c["seq"] for c in rest["cards"]] == [3] and rest["more"] is False
    assert [c["work_order"]["number"] for c in first["cards"] + rest["cards"]] == missed
    sock.disconnect()
