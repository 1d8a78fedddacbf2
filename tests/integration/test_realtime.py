"""Socket.IO (DESIGN §11 realtime/): only signed-in users connect, and each hears its own rooms —
user:<id>, role:<role> for every role held, team:<id> — and nobody else's."""

import pytest
from flask import g
from flask_socketio import SocketIOTestClient

from domain.masterdata import Team, Workshop
from extensions import db, socketio
from tests.conftest import FreshUserClient, make_user


def phone(app, username: str | None = None):
    """A phone with cookies of its own, signed in through the login form when `username` is given."""
    app.test_client_class = FreshUserClient
    client = app.test_client()
    if username:
        assert client.post("/login", data={"username": username, "password": "demo"}).status_code == 302
    return client


def connect(app, client) -> SocketIOTestClient:
    g.pop("_login_user", None)  # the tests hold one app context; a real server starts each event afresh
    return socketio.test_client(app, flask_test_client=client)


def heard(sock: SocketIOTestClient) -> list[dict]:
    return [event["args"][0] for event in sock.get_received() if event["name"] == "ping"]


@pytest.fixture
def teams(app) -> tuple[Team, Team]:
    shop = Workshop(code="W1", name="注塑车间")
    db.session.add(shop)
    db.session.flush()
    first, second = (
        Team(code="T1", name="一班", workshop_id=shop.id),
        Team(code="T2", name="二班", workshop_id=shop.id),
    )
    db.session.add_all([first, second])
    db.session.commit()
    return first, second


def test_anonymous_socket_is_refused(app):
    sock = connect(app, phone(app))
    assert not sock.is_connected()


def test_signed_in_user_is_connected(app):
    make_user("qc", ["qc"])
    sock = connect(app, phone(app, "qc"))
    assert sock.is_connected()
    sock.disconnect()


def test_user_hears_their_own_user_role_and_team_rooms(app, teams):
    leader = make_user("leader", ["leader"], team_id=teams[0].id)
    sock = connect(app, phone(app, "leader"))
    sock.get_received()
    for room in (f"user:{leader.id}", "role:leader", f"team:{teams[0].id}"):
        socketio.emit("ping", {"room": room}, to=room)
    assert heard(sock) == [
        {"room": f"user:{leader.id}"},
        {"room": "role:leader"},
        {"room": f"team:{teams[0].id}"},
    ]
    sock.disconnect()


def test_user_does_not_hear_other_users_roles_or_teams(app, teams):
    make_user("leader", ["leader"], team_id=teams[0].id)
    other = make_user("planner", ["planner"])
    sock = connect(app, phone(app, "leader"))
    sock.get_received()
    for room in (f"user:{other.id}", "role:planner", "role:qc", f"team:{teams[1].id}"):
        socketio.emit("ping", {"room": room}, to=room)
    assert heard(sock) == []
    sock.disconnect()


def test_user_with_several_roles_hears_each_role_room(app):
    make_user("both", ["warehouse", "qc"])
    sock = connect(app, phone(app, "both"))
    sock.get_received()
    for room in ("role:warehouse", "role:qc", "role:sales"):
        socketio.emit("ping", {"room": room}, to=room)
    assert heard(sock) == [{"room": "role:warehouse"}, {"room": "role:qc"}]
    sock.disconnect()


def test_signed_out_phone_can_no_longer_connect(app):
    make_user("cs", ["cs"])
    client = phone(app, "cs")
    client.post("/logout")
    assert not connect(app, client).is_connected()
