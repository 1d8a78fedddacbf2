"""Service tickets over the API: a ticket from a scanned serial, the serial's repair history, the
state machine, parts issued through the stock ledger, the nearest point holding the parts, errors."""

import uuid

import pytest
from sqlalchemy import select

from domain.service.tickets import ServicePartUse, ServiceTicket
from domain.stock.ledger import StockBalance, StockMove
from extensions import db
from tests.integration.service_world import OTHER_PART, PART, SHIPPED_ON, build_service_world, stock

BASE = "/api/v1/service"


@pytest.fixture
def world(app):
    return build_service_world()


def post(client, headers, path, body, key=None):
    return client.post(
        BASE + path, json=body, headers={**headers, "Idempotency-Key": key or uuid.uuid4().hex}
    )


def open_ticket(client, auth, world, fault="路由器上壳卡扣断裂，上下壳合不拢"):
    label = f"https://oh.example.cn/s/sn/{world.serial}"
    response = post(client, auth.headers("cs"), "/tickets", {"serial": label, "fault_description": fault})
    assert response.status_code == 201, response.json
    return response.json


def on_site(client, auth, ticket_id, tech="tech"):
    assert (
        post(client, auth.headers("cs"), f"/tickets/{ticket_id}/assign", {"technician": tech}).status_code
        == 200
    )
    response = post(client, auth.headers("service", tech), f"/tickets/{ticket_id}/arrive", {})
    assert response.status_code == 200, response.json
    return auth.headers("service", tech)


def test_ticket_from_a_scanned_serial_carries_its_order_ship_date_and_warranty(client, auth, world):
    ticket = open_ticket(client, auth, world)
    assert ticket["serial"] == world.serial
    assert (ticket["order"], ticket["customer"], ticket["product"]) == (
        world.order,
        world.customer,
        world.product,
    )
    assert ticket["ship_date"] == SHIPPED_ON.isoformat()
    assert ticket["state"] == "open"
    assert ticket["warranty"]["until"] == "2027-03-14"  # 12 months (plant default) from 2026-03-15
    assert ticket["number"].startswith("ST-")


def test_unknown_serial_needs_the_customer(client, auth, world):
    response = post(
        client, auth.headers("cs"), "/tickets", {"serial": "SN-NOPE", "fault_description": "坏了"}
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "customer_required"
    assert "customer" in response.json["error"]["fields"]


def test_serial_lookup_lists_every_earlier_repair_with_its_parts(client, auth, world):
    stock(world.locations[world.near][0], PART, "5")
    first = open_ticket(client, auth, world)
    tech = on_site(client, auth, first["id"])
    body = {
        "diagnosis": "卡扣断裂，已更换",
        "parts": [{"sku": PART, "qty": "2"}],
        "service_point": world.near,
    }
    assert post(client, tech, f"/tickets/{first['id']}/resolve", body).status_code == 200
    second = open_ticket(client, auth, world, fault="脚垫脱落")
    assert [h["number"] for h in second["history"]] == [first["number"]]
    looked_up = client.get(f"{BASE}/serials/{world.serial}", headers=auth.headers("service", "tech"))
    assert looked_up.status_code == 200
    history = looked_up.json["history"]
    assert [h["number"] for h in history] == [first["number"], second["number"]]
    assert history[0]["parts"] == [{"sku": PART, "name": "路由器外壳卡扣组件", "qty": "2.000"}]
    assert looked_up.json["shipped"] is True and looked_up.json["order"] == world.order


def test_a_ticket_moves_only_along_its_states(client, auth, world):
    ticket = open_ticket(client, auth, world)
    refused = post(client, auth.headers("cs"), f"/tickets/{ticket['id']}/close", {"rating": 5})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "illegal_transition"
    post(client, auth.headers("cs"), f"/tickets/{ticket['id']}/assign", {"technician": "tech"})
    tech = auth.headers("service", "tech")
    resolve_early = post(client, tech, f"/tickets/{ticket['id']}/resolve", {"diagnosis": "x"})
    assert resolve_early.status_code == 409  # assigned → resolved skips on_site
    assert post(client, tech, f"/tickets/{ticket['id']}/arrive", {}).status_code == 200
    again = post(client, tech, f"/tickets/{ticket['id']}/arrive", {})
    assert again.status_code == 409 and again.json["error"]["code"] == "illegal_transition"
    assert post(client, tech, f"/tickets/{ticket['id']}/resolve", {"diagnosis": "已修复"}).status_code == 200
    closed = post(
        client, auth.headers("cs"), f"/tickets/{ticket['id']}/close", {"rating": 4, "comment": "及时"}
    )
    assert closed.status_code == 200
    assert (closed.json["state"], closed.json["rating"]) == ("closed", 4)
    states = [(e["from_state"], e["to_state"]) for e in closed.json["events"]]
    assert states == [
        (None, "open"),
        ("open", "assigned"),
        ("assigned", "on_site"),
        ("on_site", "resolved"),
        ("resolved", "closed"),
    ]


def test_close_refuses_a_rating_outside_1_to_5(client, auth, world):
    ticket = open_ticket(client, auth, world)
    response = post(client, auth.headers("cs"), f"/tickets/{ticket['id']}/close", {"rating": 6})
    assert response.status_code == 422
    assert "rating" in response.json["error"]["fields"]


def test_parts_are_issued_through_the_ledger_and_stock_check_stays_clean(client, auth, world, runner):
    first, second = world.locations[world.near]
    stock(first, PART, "2")
    stock(second, PART, "3")
    ticket = open_ticket(client, auth, world)
    tech = on_site(client, auth, ticket["id"])
    body = {"diagnosis": "卡扣断裂", "parts": [{"sku": PART, "qty": "4"}], "service_point": world.near}
    response = post(client, tech, f"/tickets/{ticket['id']}/work", body)
    assert response.status_code == 200, response.json
    moves = db.session.execute(select(StockMove).where(StockMove.ref == ticket["number"])).scalars().all()
    assert sorted((m.kind, m.location_id, m.qty) for m in moves) == sorted(
        [("issue", second, -3), ("issue", first, -1)]
    )
    uses = db.session.execute(select(ServicePartUse)).scalars().all()
    assert {u.stock_move_id for u in uses} == {m.id for m in moves}
    left = db.session.execute(select(StockBalance.qty).where(StockBalance.location_id.in_([first, second])))
    assert sum(left.scalars()) == 1
    result = runner.invoke(args=["stock-check"])
    assert result.exit_code == 0, result.output


def test_a_part_short_at_the_point_refuses_the_whole_call(client, auth, world):
    stock(world.locations[world.near][0], PART, "5")
    ticket = open_ticket(client, auth, world)
    tech = on_site(client, auth, ticket["id"])
    body = {
        "diagnosis": "卡扣断裂，脚垫丢失",
        "service_point": world.near,
        "parts": [{"sku": PART, "qty": "1"}, {"sku": OTHER_PART, "qty": "1"}],
    }
    response = post(client, tech, f"/tickets/{ticket['id']}/resolve", body)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "insufficient_stock"
    db.session.expire_all()
    saved = db.session.get(ServiceTicket, ticket["id"])
    assert (saved.state, saved.diagnosis, saved.parts) == ("on_site", "", [])
    assert db.session.execute(select(StockMove).where(StockMove.kind == "issue")).first() is None


def test_nearest_service_points_holding_the_recommended_part_come_first(client, auth, world):
    stock(world.locations[world.middle][0], PART, "7")
    stock(world.locations[world.far][1], PART, "9")
    stock(world.locations[world.near][0], OTHER_PART, "3")
    ticket = open_ticket(client, auth, world)  # no history yet: falls back to nothing, then ...
    tech = on_site(client, auth, ticket["id"])
    post(
        client,
        tech,
        f"/tickets/{ticket['id']}/resolve",
        {"diagnosis": "换卡扣", "parts": [{"sku": PART, "qty": "1"}], "service_point": world.middle},
    )
    fresh = open_ticket(client, auth, world, fault="卡扣断了，壳子合不上")
    assert fresh["recommendations"][0]["sku"] == PART
    assert fresh["recommendations"][0]["evidence"][0]["ref"] == ticket["number"]
    points = [(p["code"], p["stock"][PART]) for p in fresh["service_points"]]
    assert points[:2] == [(world.middle, "6.000"), (world.far, "9.000")]
    assert points[2] == (world.near, "0.000")  # nearer, but holds none of it
    assert fresh["service_points"][0]["distance_km"] < fresh["service_points"][1]["distance_km"]


def test_another_technician_cannot_work_the_ticket(client, auth, world):
    ticket = open_ticket(client, auth, world)
    on_site(client, auth, ticket["id"], tech="tech")
    response = post(
        client, auth.headers("service", "tech2"), f"/tickets/{ticket['id']}/work", {"diagnosis": "x"}
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "not_your_ticket"


def test_resolving_with_another_units_label_is_refused(client, auth, world):
    ticket = open_ticket(client, auth, world)
    tech = on_site(client, auth, ticket["id"])
    body = {"diagnosis": "x", "serial": "https://oh.example.cn/s/sn/SN-OTHER"}
    response = post(client, tech, f"/tickets/{ticket['id']}/resolve", body)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "serial_mismatch"


def test_a_replayed_resolve_answers_the_first_response_and_issues_once(client, auth, world):
    stock(world.locations[world.near][0], PART, "5")
    ticket = open_ticket(client, auth, world)
    tech = on_site(client, auth, ticket["id"])
    body = {"diagnosis": "换卡扣", "parts": [{"sku": PART, "qty": "1"}], "service_point": world.near}
    first = post(client, tech, f"/tickets/{ticket['id']}/resolve", body, key="k-resolve-1")
    replay = post(client, tech, f"/tickets/{ticket['id']}/resolve", body, key="k-resolve-1")
    assert (first.status_code, replay.status_code) == (200, 200)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json == first.json
    assert len(db.session.execute(select(StockMove).where(StockMove.kind == "issue")).all()) == 1


def test_state_changes_need_an_idempotency_key(client, auth, world):
    response = client.post(
        BASE + "/tickets", json={"serial": world.serial, "fault_description": "x"}, headers=auth.headers("cs")
    )
    assert response.status_code in (400, 422)
    assert "error" in response.json


def test_roles_are_checked(client, auth, world):
    assert client.get(BASE + "/tickets", headers=auth.headers("sales")).status_code == 403
    ticket = open_ticket(client, auth, world)
    refused = post(client, auth.headers("service", "tech"), f"/tickets/{ticket['id']}/close", {"rating": 5})
    assert refused.status_code == 403


def test_photo_is_checked_by_content(client, auth, world):
    ticket = open_ticket(client, auth, world)
    tech = on_site(client, auth, ticket["id"])
    import base64

    fake = base64.b64encode(b"<html>not an image</html>").decode()
    refused = post(client, tech, f"/tickets/{ticket['id']}/photos", {"data": fake})
    assert refused.status_code == 415 and refused.json["error"]["code"] == "photo_type"
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 64).decode()
    stored = post(client, tech, f"/tickets/{ticket['id']}/photos", {"data": png, "caption": "卡扣"})
    assert stored.status_code == 201 and len(stored.json["photos"]) == 1


def test_analytics_counts_repairs_by_model_and_age(client, auth, world):
    open_ticket(client, auth, world)
    response = client.get(BASE + "/analytics", headers=auth.headers("qc"))
    assert response.status_code == 200
    row = response.json["models"][0]
    assert (row["model"], row["repairs"], row["shipped"]) == (world.product, 1, 1)
    assert sum(row["by_age"].values()) == 1


def test_a_state_change_made_meanwhile_by_someone_else_is_a_409_not_a_double_move(client, auth, world):
    """The move is `UPDATE ... WHERE state = <what was read>`: a ticket read as open but assigned by
    another desk in the meantime is refused, and nothing of the late action is kept."""
    from domain.errors import DomainError
    from domain.service import ticket_service
    from domain.users import find_user

    ticket_id = open_ticket(client, auth, world)["id"]
    stale = db.session.get(ServiceTicket, ticket_id)  # read as open
    db.session.execute(
        ServiceTicket.__table__.update().where(ServiceTicket.id == ticket_id).values(state="assigned")
    )  # another desk's assignment, behind this session's back
    with pytest.raises(DomainError) as refused:
        ticket_service.move(stale, "assigned", find_user("cs"))
    assert (refused.value.code, refused.value.status) == ("ticket_changed", 409)
    db.session.rollback()


def test_every_change_to_a_ticket_is_audited(client, auth, world):
    from domain.audit import AuditLog

    stock(world.locations[world.near][0], PART, "2")
    ticket = open_ticket(client, auth, world)
    tech = on_site(client, auth, ticket["id"])
    body = {"diagnosis": "换卡扣", "parts": [{"sku": PART, "qty": "1"}], "service_point": world.near}
    post(client, tech, f"/tickets/{ticket['id']}/resolve", body)
    post(client, auth.headers("cs"), f"/tickets/{ticket['id']}/close", {"rating": 5})
    rows = db.session.execute(
        select(AuditLog.action, AuditLog.changes).where(
            AuditLog.entity == "service_ticket", AuditLog.entity_id == str(ticket["id"])
        )
    ).all()
    actions = [action for action, _changes in rows]
    assert actions.count("transition") == 4 and {"create", "work", "rate"} <= set(actions)
    work = next(changes for action, changes in rows if action == "work")
    assert work["parts"] == [{"sku": PART, "qty": "1", "service_point": world.near}]
