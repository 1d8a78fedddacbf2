"""Dashboard data endpoints (DESIGN §9): order pool, heatmap, countdown and kitting, on real data."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.masterdata import BomVersion
from domain.orders.service import plant_today
from domain.production.models import Machine, Operation, WorkOrder
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data


@pytest.fixture
def plant(app):
    first, second = data.customer("C001"), data.customer("C002")
    model = data.product("P-100")
    return first, second, model


def test_order_pool_counts_stages_and_open_orders_by_priority_and_customer(client, auth, plant):
    first, second, model = plant
    data.order_in_stage(first, model, "quote", number="SO-1", priority="A")
    data.order_in_stage(first, model, "in_production", number="SO-2", priority="A")
    data.order_in_stage(second, model, "confirmed", number="SO-3", priority="C")
    data.order_in_stage(second, model, "shipped", number="SO-4", priority="A")
    body = client.get("/api/v1/dashboard/order-pool", headers=auth.headers("vp")).json
    stages = {c["key"]: c["count"] for c in body["by_stage"]}
    assert stages["quote"] == 1 and stages["in_production"] == 1 and stages["shipped"] == 1
    assert body["open_total"] == 3
    assert {c["key"]: c["count"] for c in body["by_priority"]} == {"A": 2, "B": 0, "C": 1}
    customers = {c["key"]: (c["count"], c["filters"]) for c in body["by_customer"]}
    assert customers == {"C001": (2, {"customer_code": "C001"}), "C002": (1, {"customer_code": "C002"})}


def test_order_pool_filters_open_the_order_list_with_those_orders(client, auth, plant):
    first, second, model = plant
    data.order_in_stage(first, model, "quote", number="SO-1")
    data.order_in_stage(second, model, "quote", number="SO-2")
    body = client.get("/api/v1/dashboard/order-pool", headers=auth.headers("vp")).json
    c002 = next(c for c in body["by_customer"] if c["key"] == "C002")
    listed = client.get("/api/v1/orders", query_string=c002["filters"], headers=auth.headers("vp")).json
    assert [o["number"] for o in listed["items"]] == ["SO-2"]


def test_salesperson_is_refused_the_dashboard(client, auth):
    response = client.get("/api/v1/dashboard/order-pool", headers=auth.headers("sales"))
    assert response.status_code == 403
    assert response.json["error"]["code"]


def test_countdown_alarms_an_order_due_within_three_days_without_first_article(client, auth, plant):
    first, _second, model = plant
    data.order_in_stage(first, model, "in_production", number="SO-NEAR", due_in=2)
    data.order_in_stage(first, model, "in_production", number="SO-LATER", due_in=6)
    data.order_in_stage(first, model, "shipped", number="SO-GONE", due_in=1)
    data.order_in_stage(first, model, "confirmed", number="SO-FAR", due_in=40)
    body = client.get("/api/v1/dashboard/countdown", headers=auth.headers("planner")).json
    orders = {o["number"]: o for o in body["orders"]}
    assert set(orders) == {"SO-NEAR", "SO-LATER"}
    assert orders["SO-NEAR"]["alarm"] is True and orders["SO-NEAR"]["days_left"] == 2
    assert orders["SO-LATER"]["alarm"] is False and orders["SO-LATER"]["days_left"] == 6
    assert body["alarm_count"] == 1
    assert body["today"] == plant_today().isoformat()


def test_a_quote_draft_with_a_past_due_date_is_not_in_the_countdown(client, auth, plant):
    first, _second, model = plant
    data.order_in_stage(first, model, "quote", number="SO-DRAFT", due_in=-5)
    data.order_in_stage(first, model, "confirmed", number="SO-PROMISED", due_in=2)
    body = client.get("/api/v1/dashboard/countdown", headers=auth.headers("planner")).json
    assert [o["number"] for o in body["orders"]] == ["SO-PROMISED"] and body["total"] == 1


def _work_order(order, model, team, number: str) -> WorkOrder:
    bom = db.session.execute(db.select(BomVersion).where(BomVersion.product_id == model.id)).scalar_one()
    wo = WorkOrder(
        number=number,
        order_id=order.id,
        product_id=model.id,
        bom_version_id=bom.id,
        quantity=Decimal(1000),
        team_id=team.id,
    )
    db.session.add(wo)
    db.session.commit()
    return wo


def test_countdown_order_with_passed_first_article_is_not_an_alarm(client, auth, plant):
    pytest.importorskip("domain.quality.stage_gate")
    from domain.quality.inspections import FIRST_ARTICLE, Inspection

    first, _second, model = plant
    order = data.order_in_stage(first, model, "in_production", number="SO-OK", due_in=1)
    inspector = make_user("qc1", ["qc"])
    team = data.team_with_leader(make_user("lead1", ["leader"]).id)
    wo = _work_order(order, model, team, "WO-20260101-0001")
    db.session.add(
        Inspection(work_order_id=wo.id, kind=FIRST_ARTICLE, passed=True, inspector_id=inspector.id)
    )
    db.session.commit()
    body = client.get("/api/v1/dashboard/countdown", headers=auth.headers("planner")).json
    entry = next(o for o in body["orders"] if o["number"] == "SO-OK")
    assert body["first_article_known"] is True
    assert entry["first_article_passed"] is True
    assert entry["alarm"] is False


def test_heatmap_spreads_an_operation_over_its_plant_days(app, client, auth, plant):
    first, _second, model = plant
    order = data.order_in_stage(first, model, "in_production", number="SO-H", due_in=10)
    team = data.team_with_leader(make_user("lead1", ["leader"]).id)
    shop = data.workshop("W1")
    db.session.add_all(
        [
            Machine(workshop_id=shop.id, code="IM-1", name="注塑机1"),
            Machine(workshop_id=shop.id, code="IM-2", name="注塑机2"),
        ]
    )
    wo = _work_order(order, model, team, "WO-20260101-0002")
    zone = ZoneInfo(app.config["PLANT_TIMEZONE"])
    today = plant_today()
    # 06:00–18:00 plant time today: 12 hours, half of them done
    start = datetime(today.year, today.month, today.day, 6, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    db.session.add(
        Operation(
            work_order_id=wo.id,
            seq=1,
            name="注塑",
            workshop_id=shop.id,
            planned_start=start,
            planned_end=start + timedelta(hours=12),
            status="started",
            good_qty=Decimal(500),
        )
    )
    db.session.commit()
    body = client.get("/api/v1/dashboard/heatmap", headers=auth.headers("vp")).json
    row = next(w for w in body["workshops"] if w["id"] == shop.id)
    cell = row["cells"][body["days"].index(today.isoformat())]
    assert row["machines"] == 2
    assert cell["planned_hours"] == 12
    assert cell["capacity_hours"] == 48
    assert cell["load"] == 0.25
    assert cell["progress"] == 0.5


def test_kitting_alerts_list_a_work_order_starting_soon_without_its_material(client, auth, plant):
    first, _second, model = plant
    order = data.order_in_stage(first, model, "scheduling", number="SO-K", due_in=12)
    team = data.team_with_leader(make_user("lead1", ["leader"]).id)
    wo = _work_order(order, model, team, "WO-20260101-0003")
    wo.planned_start = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=2)
    db.session.commit()
    body = client.get("/api/v1/dashboard/kitting", headers=auth.headers("planner")).json
    assert body["available"] is True and body["total"] == 1
    [alert] = body["work_orders"]
    assert alert["number"] == "WO-20260101-0003" and alert["order"] == "SO-K"
    assert alert["kitting_rate"] == 0
    assert [m["sku"] for m in alert["missing"]] == ["RES-P-100"]
    assert float(alert["missing"][0]["short"]) >= 200  # 1000 pieces × 0.2 kg, nothing in stock


def test_dashboard_page_carries_the_modules_for_the_first_paint(client, auth, plant):
    first, _second, model = plant
    data.order_in_stage(first, model, "in_production", number="SO-PAGE", due_in=1)
    auth.login("vp")
    page = client.get("/dashboard/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="dashboard"' in html and "SO-PAGE" in html
    assert 'data-layout="wall"' in client.get("/dashboard/?layout=wall").get_data(as_text=True)
