"""The Gantt API (DESIGN §4): moves the server accepts, moves it refuses with the reason, rush insertion."""

import uuid
from datetime import datetime, timedelta

from domain.audit import AuditLog
from domain.masterdata import RoutingStep
from domain.production.models import Machine
from extensions import db
from tests.integration.gantt_world import at, build_plan, build_rush_plan, iso, reload


def patch(client, headers, op_id: int, start, end, machine_id):
    body = {"start": iso(start), "end": iso(end), "machine_id": machine_id}
    return client.patch(
        f"/api/v1/gantt/operations/{op_id}",
        json=body,
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )


def test_plan_lists_rows_per_workshop_and_machine_and_the_operations_in_the_window(app, client, auth):
    plan = build_plan()
    response = client.get(
        "/api/v1/gantt",
        query_string={"start": iso(at(-1)), "end": iso(at(24))},
        headers=auth.headers("planner"),
    )
    assert response.status_code == 200, response.json
    groups = {g["id"]: g for g in response.json["groups"]}
    assert f"m{plan.m1.id}" in groups[f"w{plan.m1.workshop_id}"]["nestedGroups"]
    items = {i["id"]: i for i in response.json["items"]}
    first_op = plan.first.operations[0]
    assert items[first_op.id]["group"] == f"m{plan.m1.id}"
    assert items[first_op.id]["start"] == iso(at(0)) and items[first_op.id]["work_order"] == plan.first.number
    assert len(items) == 4


def test_move_into_a_free_slot_is_saved_and_audited(app, client, auth):
    plan = build_plan()
    op = plan.second.operations[0]
    response = patch(client, auth.headers("planner"), op.id, at(15), at(19), plan.m2.id)
    assert response.status_code == 200, response.json
    moved = reload(op)
    assert (moved.planned_start, moved.planned_end, moved.machine_id) == (at(15), at(19), plan.m2.id)
    assert moved.work_order.planned_start == at(15)
    assert db.session.scalars(db.select(AuditLog).where(AuditLog.action == "operation.moved")).one()


def test_move_onto_an_occupied_machine_slot_is_refused_and_nothing_changes(app, client, auth):
    plan = build_plan()
    op = plan.second.operations[0]
    response = patch(client, auth.headers("planner"), op.id, at(2), at(6), plan.m1.id)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "machine_overlap"
    assert plan.first.number in response.json["error"]["message"]
    assert (reload(op).planned_start, reload(op).machine_id) == (at(6), plan.m1.id)


def test_operation_cannot_be_moved_before_its_predecessor_ends(app, client, auth):
    plan = build_plan()
    op = plan.first.operations[1]  # seq 2, after seq 1 ends at 04:00
    response = patch(client, auth.headers("planner"), op.id, at(3), at(7), plan.m3.id)
    assert response.status_code == 409 and response.json["error"]["code"] == "operation_order"
    assert "start" in response.json["error"]["fields"]
    assert reload(op).planned_start == at(4)


def test_machine_of_another_workshop_is_refused(app, client, auth):
    plan = build_plan()
    response = patch(
        client, auth.headers("planner"), plan.second.operations[0].id, at(20), at(24), plan.m3.id
    )
    assert response.status_code == 422 and response.json["error"]["code"] == "wrong_workshop"
    assert "machine_id" in response.json["error"]["fields"]


def test_end_before_start_is_refused_naming_the_field(app, client, auth):
    plan = build_plan()
    response = patch(
        client, auth.headers("planner"), plan.second.operations[0].id, at(20), at(19), plan.m1.id
    )
    assert response.status_code == 422 and response.json["error"]["fields"] == {"end": "Before the start."}


def test_a_leader_may_look_but_not_move(app, client, auth):
    plan = build_plan()
    headers = auth.headers("leader")
    assert (
        client.get(
            "/api/v1/gantt", query_string={"start": iso(at(0)), "end": iso(at(5))}, headers=headers
        ).status_code
        == 200
    )
    assert patch(client, headers, plan.second.operations[0].id, at(15), at(19), plan.m2.id).status_code == 403


def rush_preview(client, headers, work_order_id: int):
    response = client.get(f"/api/v1/gantt/rush/{work_order_id}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def rush_apply(client, headers, work_order_id: int, token: str):
    headers = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    response = client.post(f"/api/v1/gantt/rush/{work_order_id}", json={"token": token}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json["moved"]


def finishes(work_orders) -> dict[str, object]:
    db.session.expire_all()
    return {wo.order.number: db.session.get(type(wo), wo.id).operations[-1].planned_end for wo in work_orders}


def test_rush_preview_puts_the_rush_first_lists_the_delayed_orders_and_changes_nothing(app, client, auth):
    plan = build_rush_plan()
    everyone = [plan.started, *plan.queue, plan.rush]
    before = finishes(everyone)
    preview = rush_preview(client, auth.headers("planner"), plan.rush.id)
    new_start = {m["op_id"]: m["new_start"] for m in preview["moves"]}
    assert new_start[plan.rush.operations[0].id] < min(new_start[wo.operations[0].id] for wo in plan.queue)
    delayed = {o["number"]: o for o in preview["delayed"]}
    assert set(delayed) == {wo.order.number for wo in plan.queue}
    assert all(o["delay_hours"] > 0 and o["new_finish"] > o["old_finish"] for o in delayed.values())
    assert finishes(everyone) == before


def test_rush_insertion_applies_the_preview_once_and_never_moves_a_started_operation(app, client, auth):
    plan = build_rush_plan()
    headers = auth.headers("planner")
    everyone = [plan.started, *plan.queue, plan.rush]
    started = reload(plan.started.operations[0])
    started_at = (started.planned_start, started.planned_end, started.machine_id)
    before = finishes(everyone)
    preview = rush_preview(client, headers, plan.rush.id)
    assert rush_apply(client, headers, plan.rush.id, preview["token"]) == len(preview["moves"]) > 0
    after = finishes(everyone)
    later = {number for number in after if after[number] > before[number]}
    assert later == {o["number"] for o in preview["delayed"]}  # exactly the listed orders were delayed
    assert after[plan.rush.order.number] < before[plan.rush.order.number]
    op = reload(plan.started.operations[0])
    assert (op.planned_start, op.planned_end, op.machine_id) == started_at
    # Applying the same preview again, or a new preview of it, changes nothing.
    assert rush_apply(client, headers, plan.rush.id, preview["token"]) == 0
    again = rush_preview(client, headers, plan.rush.id)
    assert again["moves"] == [] and again["delayed"] == []
    assert rush_apply(client, headers, plan.rush.id, again["token"]) == 0
    assert finishes(everyone) == after


def test_a_plan_changed_since_the_preview_is_refused_whole(app, client, auth):
    plan = build_rush_plan()
    headers = auth.headers("planner")
    preview = rush_preview(client, headers, plan.rush.id)
    op = reload(plan.queue[1].operations[0])
    op.planned_start, op.planned_end = (
        op.planned_start + timedelta(days=3),
        op.planned_end + timedelta(days=3),
    )
    db.session.commit()
    rush_start = reload(plan.rush.operations[0]).planned_start
    headers = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    body = {"token": preview["token"]}
    response = client.post(f"/api/v1/gantt/rush/{plan.rush.id}", json=body, headers=headers)
    assert response.status_code == 409 and response.json["error"]["code"] == "plan_changed"
    assert reload(plan.rush.operations[0]).planned_start == rush_start


def test_a_forged_plan_is_refused(app, client, auth):
    plan = build_rush_plan()
    rush_start = reload(plan.rush.operations[0]).planned_start
    headers = {**auth.headers("planner"), "Idempotency-Key": str(uuid.uuid4())}
    response = client.post("/api/v1/gantt/replan", json={"token": "e30.forged"}, headers=headers)
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_plan"
    assert reload(plan.rush.operations[0]).planned_start == rush_start


def test_a_moved_operation_is_pinned_and_the_replan_leaves_it_until_unpinned(app, client, auth):
    plan = build_rush_plan()
    headers = auth.headers("planner")
    op = reload(plan.queue[1].operations[0])
    start, end = op.planned_start + timedelta(days=2), op.planned_end + timedelta(days=2)
    moved = patch(client, headers, op.id, start, end, plan.machine.id)
    assert moved.status_code == 200 and moved.json["pinned"] is True
    preview = client.get("/api/v1/gantt/replan", headers=headers).json
    assert op.id not in {m["op_id"] for m in preview["moves"]}
    unpinned = client.delete(f"/api/v1/gantt/operations/{op.id}/pin", headers=headers)
    assert unpinned.status_code == 200 and unpinned.json["pinned"] is False
    preview = client.get("/api/v1/gantt/replan", headers=headers).json
    assert op.id in {m["op_id"] for m in preview["moves"]}


def test_a_work_order_that_is_not_rush_cannot_be_inserted(app, client, auth):
    plan = build_plan()
    response = client.get(f"/api/v1/gantt/rush/{plan.second.id}", headers=auth.headers("planner"))
    assert response.status_code == 409 and response.json["error"]["code"] == "not_rush"


def test_planner_page_renders_the_chart_container(app, client, auth):
    build_plan()
    auth.login("planner")
    page = client.get("/planning/gantt")
    assert page.status_code == 200
    assert b'data-testid="gantt"' in page.data and b"rush-preview-" in page.data


def test_move_without_machine_id_keeps_the_machine_and_still_checks_overlap(app, client, auth):
    plan = build_plan()
    op = plan.second.operations[0]  # on m1 from 06:00, after the first work order's 00:00–04:00
    headers = {**auth.headers("planner"), "Idempotency-Key": str(uuid.uuid4())}
    body = {"start": iso(at(2)), "end": iso(at(6))}
    refused = client.patch(f"/api/v1/gantt/operations/{op.id}", json=body, headers=headers)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "machine_overlap"
    assert reload(op).machine_id == plan.m1.id
    body = {"start": iso(at(15)), "end": iso(at(19))}
    headers["Idempotency-Key"] = str(uuid.uuid4())
    moved = client.patch(f"/api/v1/gantt/operations/{op.id}", json=body, headers=headers)
    assert moved.status_code == 200, moved.json
    assert (reload(op).planned_start, reload(op).machine_id) == (at(15), plan.m1.id)


def test_move_with_a_null_machine_id_is_refused_and_the_operation_keeps_its_machine(app, client, auth):
    plan = build_plan()
    op = plan.second.operations[0]
    response = patch(client, auth.headers("planner"), op.id, at(15), at(19), None)
    assert response.status_code == 422 and response.json["error"]["code"] == "machine_required"
    assert "machine_id" in response.json["error"]["fields"]
    assert (reload(op).planned_start, reload(op).machine_id) == (at(6), plan.m1.id)


def test_order_page_shows_the_planned_finish_and_whether_it_meets_the_due_date(app, client, auth):
    plan = build_rush_plan()
    op = reload(plan.rush.operations[0])
    due = plan.rush.order.due_date
    op.planned_end = datetime.combine(due + timedelta(days=3), datetime.min.time()) + timedelta(hours=4)
    db.session.commit()
    auth.login("planner")
    on_time = client.get(f"/orders/{plan.queue[0].order_id}").get_data(as_text=True)
    assert 'data-testid="planned-finish"' in on_time and "meets the due date" in on_time
    late = client.get(f"/orders/{plan.rush.order_id}").get_data(as_text=True)
    assert "3 days after the due date" in late


def test_the_plant_calendar_is_two_shifts_by_default_and_a_planner_changes_it(app, client, auth):
    headers = auth.headers("planner")
    settings = client.get("/api/v1/gantt/settings", headers=headers).json
    assert settings["shifts"] == [["08:00", "16:00"], ["16:00", "24:00"]] and settings["frozen_hours"] == 8
    body = {"shifts": [["07:30", "19:30"]], "days_off": ["2026-12-25"]}
    keyed = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    changed = client.put("/api/v1/gantt/settings", json=body, headers=keyed)
    assert changed.status_code == 200, changed.json
    again = client.get("/api/v1/gantt/settings", headers=headers).json
    assert again["shifts"] == [["07:30", "19:30"]] and again["days_off"] == ["2026-12-25"]
    assert again["frozen_hours"] == 8  # untouched
    keyed = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    refused = client.put("/api/v1/gantt/settings", json={"shifts": [["16:00", "08:00"]]}, headers=keyed)
    assert refused.status_code == 422 and refused.json["error"]["code"] == "invalid_calendar"
    leader = {**auth.headers("leader"), "Idempotency-Key": str(uuid.uuid4())}
    assert client.put("/api/v1/gantt/settings", json=body, headers=leader).status_code == 403


def test_a_step_that_needs_a_bigger_press_is_planned_only_on_one(app, client, auth):
    plan = build_rush_plan()
    plan.machine.tonnage = 90
    big = Machine(workshop_id=plan.machine.workshop_id, code="R-IM-02", name="海天 2", tonnage=280)
    db.session.add(big)
    step = db.session.scalars(
        db.select(RoutingStep).where(RoutingStep.product_id == plan.rush.product_id)
    ).one()
    step.min_tonnage = 250
    db.session.commit()
    preview = client.get("/api/v1/gantt/replan", headers=auth.headers("planner")).json
    moved = {m["op_id"]: m for m in preview["moves"]}
    pending = [wo.operations[0].id for wo in [*plan.queue, plan.rush]]
    assert pending and all(moved[op_id]["new_machine_id"] == big.id for op_id in pending)
