"""Convert to production (DESIGN §4) over the API: one transaction makes the work order with its
number, the locked BOM version, the routing's operations and the team's task card; the leader's
card actions move the work order and the order's stage."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.audit import AuditLog
from domain.masterdata import BomVersion
from domain.orders.models import Order
from domain.production.models import Operation, ProductionCounter, TaskCard, WorkOrder
from domain.quality import inspection_service
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data
from tests.integration.production_data import Plant


@pytest.fixture
def plant(app):
    return Plant()


def keyed(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Idempotency-Key": uuid.uuid4().hex}


def convert(client, auth, order_id: int, **body):
    return client.post(
        f"/api/v1/orders/{order_id}/convert", json=body, headers=keyed(auth.headers("planner"))
    )


def test_convert_makes_work_order_operations_and_card_in_one_go(client, auth, plant):
    order = plant.confirmed_order(quantity=1000)
    response = convert(client, auth, order.id)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["number"].startswith("WO-") and body["number"].endswith("-0001")
    bom = db.session.execute(select(BomVersion).where(BomVersion.product_id == plant.product.id)).scalar_one()
    assert body["bom_version_id"] == bom.id and bom.locked
    ops = body["operations"]
    assert [(o["seq"], o["name"]) for o in ops] == [(1, "Injection molding"), (2, "Assembly")]
    first, second = (db.session.get(Operation, o["id"]) for o in ops)
    # 60 min setup + 1000 × 36 s = 660 min; 30 min + 1000 × 12 s = 230 min; one after the other
    assert first.planned_end - first.planned_start == timedelta(minutes=660)
    assert second.planned_start == first.planned_end
    assert second.planned_end - second.planned_start == timedelta(minutes=230)
    assert first.machine.code == "IM-01" and second.machine.code == "AS-01"
    card = db.session.execute(select(TaskCard)).scalar_one()
    assert (card.team_id, card.seq, card.status) == (plant.team.id, 1, "new")
    db.session.refresh(order)
    assert order.stage == "scheduling"
    actions = set(db.session.execute(select(AuditLog.action)).scalars())
    assert {"work_order_create", "order_stage"} <= actions


def test_second_order_waits_for_the_machine_the_first_occupies(client, auth, plant):
    first = convert(client, auth, plant.confirmed_order().id).json
    second = convert(client, auth, plant.confirmed_order().id).json
    assert second["number"].endswith("-0002")
    # two molding machines: the second order takes the free one, the assembly line waits
    a1, a2 = first["operations"], second["operations"]
    assert a1[0]["machine_id"] != a2[0]["machine_id"]
    assert a2[1]["machine_id"] == a1[1]["machine_id"]
    assert a2[1]["planned_start"] >= a1[1]["planned_end"]


def test_an_urgent_order_converted_last_goes_ahead_of_a_queued_later_one(client, auth, plant):
    queued = [convert(client, auth, plant.confirmed_order(priority="C").id).json for _ in range(4)]
    urgent = plant.confirmed_order(priority="A", due_in=0)  # late whatever happens: the less the better
    body = convert(client, auth, urgent.id).json
    molding = [db.session.get(Operation, q["operations"][0]["id"]) for q in queued]
    rush = db.session.get(Operation, body["operations"][0]["id"])
    # two presses: the first two C orders run now (inside the frozen window); appended, the A order
    # would wait for the third and fourth, placed by the rules it goes ahead of one of them
    assert rush.planned_start == min(op.planned_end for op in molding[:2])
    assert rush.planned_start < max(op.planned_start for op in molding[2:])


def test_convert_refused_unless_confirmed(client, auth, plant):
    quote = data.order_in_stage(plant.customer, plant.product, "quote", number="SO-Q-1")
    response = convert(client, auth, quote.id)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "illegal_transition"
    assert db.session.execute(select(WorkOrder)).first() is None


def test_converting_twice_makes_one_work_order(client, auth, plant):
    order = plant.confirmed_order()
    assert convert(client, auth, order.id).status_code == 201
    again = convert(client, auth, order.id)
    assert again.status_code == 409 and again.json["error"]["code"] == "already_converted"
    assert len(db.session.execute(select(WorkOrder)).all()) == 1


def test_refused_conversion_leaves_no_number_gap(client, auth, plant):
    bare = data.product("P-NOBOM", active_bom=False)
    no_bom = data.order_in_stage(plant.customer, bare, "confirmed", number="SO-NB-1")
    refused = convert(client, auth, no_bom.id)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "no_active_bom"
    assert convert(client, auth, plant.confirmed_order().id).json["number"].endswith("-0001")


def test_only_planners_convert(client, auth, plant):
    order = plant.confirmed_order()
    response = client.post(
        f"/api/v1/orders/{order.id}/convert", json={}, headers=keyed(auth.headers("sales"))
    )
    assert response.status_code == 403


def test_convert_needs_an_idempotency_key_and_replays_the_first_answer(client, auth, plant):
    order = plant.confirmed_order()
    headers = keyed(auth.headers("planner"))
    first = client.post(f"/api/v1/orders/{order.id}/convert", json={}, headers=headers)
    replay = client.post(f"/api/v1/orders/{order.id}/convert", json={}, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert replay.json["number"] == first.json["number"]
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert db.session.execute(select(ProductionCounter.value)).scalars().all() == [1, 1]  # day, team


def test_later_bom_versions_do_not_change_the_work_order(client, auth, plant):
    body = convert(client, auth, plant.confirmed_order().id).json
    old = db.session.get(BomVersion, body["bom_version_id"])
    old.status = "retired"
    db.session.add(BomVersion(product_id=plant.product.id, version=2, status="active"))
    db.session.commit()
    assert db.session.get(WorkOrder, body["id"]).bom_version_id == old.id
    assert (
        client.get(f"/api/v1/work-orders/{body['id']}", headers=auth.headers("planner")).json[
            "bom_version_id"
        ]
        == old.id
    )


def card_action(client, auth, card_id: int, action: str, **body):
    return client.post(
        f"/api/v1/task-cards/{card_id}/{action}", json=body, headers=keyed(auth.headers("leader"))
    )


def test_leader_acknowledges_starts_reports_and_finishes(client, auth, plant):
    order = plant.confirmed_order(quantity=100)
    work_order_id = convert(client, auth, order.id).json["id"]
    card = db.session.execute(select(TaskCard)).scalar_one()
    mine = client.get("/api/v1/task-cards", headers=auth.headers("leader")).json
    assert [c["id"] for c in mine] == [card.id]

    assert card_action(client, auth, card.id, "acknowledge").json["status"] == "acknowledged"
    assert db.session.get(WorkOrder, work_order_id).status == "acknowledged"
    assert card_action(client, auth, card.id, "start").json["status"] == "started"
    db.session.expire_all()
    assert db.session.get(Order, order.id).stage == "in_production"
    # within the first-article sample (5 pieces): the inspection comes after the finish here
    card_action(client, auth, card.id, "report", good="3", scrap="2")
    reported = card_action(client, auth, card.id, "report", good="1.5", scrap="0").json
    assert reported["work_order"]["good_qty"] == "4.5" and reported["work_order"]["scrap_qty"] == "2"
    finished = card_action(client, auth, card.id, "finish").json
    assert finished["status"] == "finished"
    db.session.expire_all()
    assert db.session.get(WorkOrder, work_order_id).status == "finished"
    assert {op.status for op in db.session.get(WorkOrder, work_order_id).operations} == {"finished"}
    # no passed first-article inspection yet: the order waits in production (DESIGN §7's gate)
    assert db.session.get(Order, order.id).stage == "in_production"
    qc = make_user("qc", ["qc"])
    product_id = db.session.get(Order, order.id).product_id
    inspection_service.save_checklist(product_id, [{"name": "外观", "method": "check"}], qc)
    item = inspection_service.checklist_items(product_id, "first_article")[0]
    inspection_service.record_inspection(work_order_id, "first_article", {f"item_{item.id}": True}, qc)
    db.session.expire_all()
    assert db.session.get(Order, order.id).stage == "awaiting_qc"


def test_report_before_start_is_refused(client, auth, plant):
    convert(client, auth, plant.confirmed_order().id)
    card = db.session.execute(select(TaskCard)).scalar_one()
    response = card_action(client, auth, card.id, "report", good="5")
    assert response.status_code == 409 and response.json["error"]["code"] == "task_card_state"


def test_report_refuses_negative_and_empty_quantities(client, auth, plant):
    convert(client, auth, plant.confirmed_order().id)
    card = db.session.execute(select(TaskCard)).scalar_one()
    card_action(client, auth, card.id, "start")
    assert card_action(client, auth, card.id, "report", good="-1").json["error"]["fields"]["good"]
    assert card_action(client, auth, card.id, "report").json["error"]["fields"]["good"]


def test_another_teams_leader_cannot_act_on_the_card(client, auth, plant):
    convert(client, auth, plant.confirmed_order().id)
    card = db.session.execute(select(TaskCard)).scalar_one()
    make_user("leader2", ["leader"])
    response = client.post(
        f"/api/v1/task-cards/{card.id}/acknowledge", headers=keyed(auth.headers("leader", "leader2"))
    )
    assert response.status_code == 403
    assert db.session.get(TaskCard, card.id).status == "new"


def test_an_order_moved_to_scheduling_by_hand_can_still_be_converted(client, auth, plant):
    order = data.order_in_stage(plant.customer, plant.product, "scheduling", number="SO-S-1")
    response = convert(client, auth, order.id)
    assert response.status_code == 201, response.json
    db.session.refresh(order)
    assert order.stage == "scheduling" and [e.to_stage for e in order.stage_events] == ["scheduling"]
