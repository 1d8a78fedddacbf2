"""Changes (DESIGN §3.2): a customer spec change on a confirmed order is recorded with old and new
values, pushed over Socket.IO to everyone affected, acknowledged, and its response time stored."""

import uuid
from datetime import timedelta

import pytest
from flask import g
from flask_socketio import SocketIOTestClient

from domain.orders.changes import ChangeNotice
from extensions import db, socketio
from tests.conftest import FreshUserClient, make_user
from tests.integration import order_data as data


@pytest.fixture
def plant(app):
    """A confirmed order of P-100 (molded in W1), the W1 team's leader, a warehouse and a QC user."""
    sales = make_user("sales", ["sales"])
    leader = make_user("leader", ["leader"])
    make_user("warehouse", ["warehouse"])
    make_user("qc", ["qc"])
    make_user("leader2", ["leader"])  # leads a team in another workshop: not affected
    prod = data.product("P-100", workshop_code="W1")
    data.team_with_leader(leader.id, "W1")
    data.team_with_leader(make_user("leader2", ["leader"]).id, "W9")
    order = data.order_in_stage(
        data.customer("C001"), prod, "confirmed", number="SO-C-1", created_by_id=sales.id
    )
    return order


def other_client(app, username: str | None = None) -> FreshUserClient:
    """Another phone: a client with its own cookies, signed in as `username` if given."""
    app.test_client_class = FreshUserClient
    client = app.test_client()
    if username:
        client.post("/login", data={"username": username, "password": "demo"})
    return client


def keyed(headers: dict[str, str]) -> dict[str, str]:
    """A phone's state-changing API call carries a fresh Idempotency-Key (DESIGN §12)."""
    return {**headers, "Idempotency-Key": uuid.uuid4().hex}


def connect(app, client) -> SocketIOTestClient:
    fresh_context()
    return socketio.test_client(app, flask_test_client=client)


def ack_over_socket(sock: SocketIOTestClient, change_id: int) -> dict:
    fresh_context()
    return sock.emit("change_ack", {"id": change_id}, callback=True)


def fresh_context() -> None:
    """The tests hold one app context open; a real server gives each socket event a new one, so
    Flask-Login reads the user from that socket's session, not from the last HTTP request."""
    g.pop("_login_user", None)


def change_packaging(app, order, new="木托盘 pallet"):
    """Sales records the customer's change from a phone of its own."""
    sales = other_client(app)
    token = sales.post("/api/v1/auth/token", json={"username": "sales", "password": "demo"}).json["token"]
    return sales.patch(
        f"/api/v1/orders/{order.id}",
        json={"packaging": new, "note": "客户电话要求改为托盘"},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_spec_change_records_old_and_new_values_for_everyone_affected(app, plant):
    response = change_packaging(app, plant)
    assert response.status_code == 200, response.json
    notice = db.session.get(ChangeNotice, response.json["change_id"])
    assert notice.kind == "spec"
    assert notice.changes == {"packaging": ["carton", "木托盘 pallet"]}
    assert notice.body == "客户电话要求改为托盘"
    assert sorted((r.user.username, r.reason) for r in notice.recipients) == [
        ("leader", "leader"),
        ("qc", "qc"),
        ("warehouse", "warehouse"),
    ]
    assert notice.response_seconds is None


def test_edit_of_a_quote_is_not_a_change_record(app, client, auth):
    sales = make_user("sales", ["sales"])
    order = data.order_in_stage(
        data.customer("C001"), data.product(), "quote", number="SO-Q", created_by_id=sales.id
    )
    response = client.patch(
        f"/api/v1/orders/{order.id}", json={"packaging": "bag"}, headers=auth.headers("sales")
    )
    assert response.json["change_id"] is None
    assert db.session.execute(db.select(ChangeNotice)).first() is None


def test_leader_receives_the_notice_over_socketio_acknowledges_it_and_response_time_is_stored(
    app, client, auth, plant
):
    leader_api, qc_api = auth.headers("leader"), auth.headers("qc")
    auth.login("leader")
    leader_socket = connect(app, client)
    assert leader_socket.is_connected()
    warehouse_socket = connect(app, other_client(app, "warehouse"))

    change_id = change_packaging(app, plant).json["change_id"]

    pushed = [e for e in leader_socket.get_received() if e["name"] == "change_notice"]
    assert len(pushed) == 1
    body = pushed[0]["args"][0]
    assert (body["id"], body["order_number"], body["changes"]) == (
        change_id,
        "SO-C-1",
        {"packaging": ["carton", "木托盘 pallet"]},
    )
    notice = db.session.get(ChangeNotice, change_id)
    notice.created_at -= timedelta(minutes=90)  # the change was made an hour and a half ago
    db.session.commit()

    answer = ack_over_socket(leader_socket, change_id)
    assert answer["ok"] is True
    assert answer["response_seconds"] is None  # warehouse and QC have not acknowledged yet
    again = other_client(app).post(f"/api/v1/changes/{change_id}/ack", headers=keyed(leader_api))
    assert again.status_code == 200  # a second acknowledgement, over the API, changes nothing
    echoes = [e["args"][0] for e in leader_socket.get_received() if e["name"] == "change_acknowledged"]
    # the leader's other devices are told once: the second acknowledgement changed nothing
    assert [e["id"] for e in echoes] == [change_id]
    assert ack_over_socket(warehouse_socket, change_id)["ok"] is True
    done = other_client(app).post(f"/api/v1/changes/{change_id}/ack", headers=keyed(qc_api))
    assert done.status_code == 200, done.json

    db.session.expire_all()
    notice = db.session.get(ChangeNotice, change_id)
    last = max(r.acknowledged_at for r in notice.recipients)
    assert notice.completed_at == last
    assert notice.response_seconds == int((last - notice.created_at).total_seconds())
    assert 90 * 60 <= notice.response_seconds < 95 * 60
    leader_socket.disconnect()
    warehouse_socket.disconnect()


def test_user_the_change_was_not_sent_to_cannot_acknowledge_it(app, client, auth, plant):
    change_id = change_packaging(app, plant).json["change_id"]
    response = client.post(
        f"/api/v1/changes/{change_id}/ack", headers=keyed(auth.headers("leader", username="leader2"))
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "not_a_recipient"


def test_inbox_lists_the_unacknowledged_changes_on_request(app, client, auth, plant):
    change_id = change_packaging(app, plant).json["change_id"]
    headers = auth.headers("qc")
    pending = client.get("/api/v1/changes?pending=true", headers=headers).json
    assert [(c["id"], c["acknowledged_at"]) for c in pending["items"]] == [(change_id, None)]
    client.post(f"/api/v1/changes/{change_id}/ack", headers=keyed(headers))
    assert client.get("/api/v1/changes?pending=true", headers=headers).json["items"] == []
    assert client.get("/api/v1/changes", headers=headers).json["items"][0]["acknowledged_at"] is not None


def test_change_that_breaks_a_rule_is_refused(app, client, auth, plant):
    response = client.patch(
        f"/api/v1/orders/{plant.id}", json={"packaging": " "}, headers=auth.headers("sales")
    )
    assert response.status_code == 422
    assert [r["code"] for r in response.json["error"]["rules"]] == ["packaging"]
    assert db.session.execute(db.select(ChangeNotice)).first() is None


def test_process_notice_goes_to_planners_and_leaders_of_models_in_production(app, client, auth):
    leader = make_user("leader", ["leader"])
    make_user("planner", ["planner"])
    prod = data.product("P-200", workshop_code="W2")
    data.team_with_leader(leader.id, "W2")
    data.order_in_stage(data.customer("C001"), prod, "in_production", number="SO-P-1")
    response = client.post(
        "/api/v1/changes/process",
        json={"product_model": "P-200", "title": "浇口位置调整", "body": "模温 80→85℃"},
        headers=auth.headers("admin"),
    )
    assert response.status_code == 201, response.json
    assert sorted(r["reason"] for r in response.json["recipients"]) == ["leader", "planner"]


def test_process_notice_on_a_model_without_production_goes_to_planners_only(app, client, auth):
    make_user("leader", ["leader"])
    make_user("planner", ["planner"])
    data.product("P-300")
    response = client.post(
        "/api/v1/changes/process",
        json={"product_model": "P-300", "title": "新包装"},
        headers=auth.headers("admin"),
    )
    assert [r["reason"] for r in response.json["recipients"]] == ["planner"]


def test_socket_acknowledgement_of_an_unknown_change_is_answered_with_an_error(app, client, auth, plant):
    auth.login("leader")
    sock = connect(app, client)
    fresh_context()
    assert sock.emit("change_ack", {"id": "x"}, callback=True)["error"]["code"] == "validation_error"
    assert ack_over_socket(sock, 999)["error"]["code"] == "not_found"
    sock.disconnect()


def test_acknowledging_over_the_api_needs_an_idempotency_key_and_a_replay_changes_nothing(
    app, client, auth, plant
):
    change_id = change_packaging(app, plant).json["change_id"]
    headers = auth.headers("qc")
    assert client.post(f"/api/v1/changes/{change_id}/ack", headers=headers).status_code == 400
    first = client.post(f"/api/v1/changes/{change_id}/ack", headers={**headers, "Idempotency-Key": "ack-1"})
    replay = client.post(f"/api/v1/changes/{change_id}/ack", headers={**headers, "Idempotency-Key": "ack-1"})
    assert first.status_code == replay.status_code == 200
    assert replay.json == first.json
    assert replay.headers.get("Idempotent-Replayed") == "true"
