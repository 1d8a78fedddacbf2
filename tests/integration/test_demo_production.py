"""Demo production (demo/production.py): work orders for the demo orders in production, cards
for the demo leader (one still unread), no machine double-booked, and numbering that continues."""

import uuid
from itertools import pairwise

import pytest
from sqlalchemy import select

from domain.orders.models import Order
from domain.production.models import Operation, ProductionCounter, TaskCard, WorkOrder
from domain.quality import first_article_gate
from extensions import db


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


def test_orders_in_production_have_work_orders_and_the_leader_has_cards(seeded, client):
    stages = db.session.execute(
        select(Order.stage).join(WorkOrder, WorkOrder.order_id == Order.id).distinct()
    ).scalars()
    assert {"scheduling", "in_production", "awaiting_qc"} <= set(stages)
    client.post("/login", data={"username": "leader", "password": "demo"})
    page = client.get("/leader").get_data(as_text=True)
    assert "leader-state" in page
    mine = db.session.execute(
        select(TaskCard.status).join(TaskCard.team).where(TaskCard.team.has(code="T-IM1"))
    ).scalars()
    assert list(mine).count("new") == 1


def test_no_work_order_made_more_than_its_sample_without_a_passed_first_article(seeded):
    work_orders = db.session.execute(select(WorkOrder).where(WorkOrder.status != "finished")).scalars()
    statuses = set()
    for work_order in work_orders:
        gate = first_article_gate.gate_of(work_order)
        statuses.add(gate.status)
        if not gate.open:
            made = max(first_article_gate.reported_good(work_order), work_order.good_qty)
            assert made <= gate.sample_qty, work_order.number
    assert {"passed", "failed"} <= statuses  # the demo shows a held work order beside running ones


def test_no_machine_is_booked_twice(seeded):
    ops = db.session.execute(
        select(Operation)
        .where(Operation.machine_id.is_not(None))
        .order_by(Operation.machine_id, Operation.planned_start)
    ).scalars()
    by_machine: dict[int, list[Operation]] = {}
    for op in ops:
        by_machine.setdefault(op.machine_id, []).append(op)
    for rows in by_machine.values():
        for earlier, later in pairwise(rows):
            assert later.planned_start >= earlier.planned_end


def test_counters_stand_at_the_last_number_of_each_day_and_team(seeded):
    counters = dict(db.session.execute(select(ProductionCounter.scope, ProductionCounter.value)).all())
    last: dict[str, int] = {}
    for number in db.session.execute(select(WorkOrder.number)).scalars():
        _, day, serial = number.split("-")
        last[f"wo:{day}"] = max(last.get(f"wo:{day}", 0), int(serial))
    for team_id, seq in db.session.execute(select(TaskCard.team_id, TaskCard.seq)).all():
        last[f"card:{team_id}"] = max(last.get(f"card:{team_id}", 0), seq)
    assert counters == last


def test_a_new_conversion_continues_the_numbering(seeded, client):
    confirmed = db.session.execute(select(Order).where(Order.stage == "confirmed").limit(1)).scalar_one()
    token = client.post("/api/v1/auth/token", json={"username": "planner", "password": "demo"}).json["token"]
    response = client.post(
        f"/api/v1/orders/{confirmed.id}/convert",
        json={},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 201, response.json
