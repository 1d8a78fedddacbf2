"""The Gantt API (DESIGN §4): moves the server accepts, moves it refuses with the reason, rush insertion."""

import uuid

from domain.audit import AuditLog
from extensions import db
from tests.integration.gantt_world import at, build_plan, iso, reload


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


def test_rush_preview_lists_what_it_pushes_and_changes_nothing(app, client, auth):
    plan = build_plan()
    response = client.get(
        f"/api/v1/gantt/rush/{plan.rush.id}",
        query_string={"start": iso(at(0))},
        headers=auth.headers("planner"),
    )
    assert response.status_code == 200, response.json
    pushed = {p["op_id"]: (p["new_start"], p["new_end"]) for p in response.json["pushed"]}
    first1, first2 = plan.first.operations
    second = plan.second.operations[0]
    # rush 00–02 on m1: first#1 → 02–06, first#2 (m3) → 06–10, second (m1 06–10) stays: no overlap
    assert pushed == {first1.id: (iso(at(2)), iso(at(6))), first2.id: (iso(at(6)), iso(at(10)))}
    assert second.id not in pushed
    assert reload(first1).planned_start == at(0)


def test_rush_insertion_applies_the_preview(app, client, auth):
    plan = build_plan()
    headers = {**auth.headers("planner"), "Idempotency-Key": str(uuid.uuid4())}
    response = client.post(f"/api/v1/gantt/rush/{plan.rush.id}", json={"start": iso(at(0))}, headers=headers)
    assert response.status_code == 200, response.json
    assert reload(plan.rush.operations[0]).planned_start == at(0)
    assert reload(plan.first.operations[0]).planned_start == at(2)
    assert reload(plan.first.operations[1]).planned_start == at(6)


def test_a_work_order_that_is_not_rush_cannot_be_inserted(app, client, auth):
    plan = build_plan()
    response = client.get(
        f"/api/v1/gantt/rush/{plan.second.id}",
        query_string={"start": iso(at(0))},
        headers=auth.headers("planner"),
    )
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
