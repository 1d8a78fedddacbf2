"""One source of truth at the joints (DESIGN §3.0): each order event reaches every place that depends
on it, checked through the API: the order, its work orders, their operations on the Gantt, the task
cards, the material reserved, the transfers, the dashboards and the people told over Socket.IO. A
refused step of the cascade undoes its cause."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from flask import g
from sqlalchemy import select

from domain.masterdata import BomLine, BomVersion, Location, Sku, Warehouse
from domain.stock import balances
from domain.stock.transfers import PICKED, REQUESTED, Transfer
from domain.transactions import write_transaction
from extensions import db, socketio
from tests.conftest import FreshUserClient, make_user
from tests.integration.production_data import Plant
from tests.integration.stock_world import YARD_A, YARD_B


class World:
    """Two confirmed orders converted to production; black masterbatch (and a grey one) in stock."""

    def __init__(self, app, client, auth) -> None:
        self.app, self.client, self.auth = app, client, auth
        self.plant = Plant()
        self.plant.product.needs_first_article = False  # output in hundreds here: the gate has its own tests
        self.sales = make_user("sales", ["sales"])
        make_user("warehouse", ["warehouse"])
        make_user("qc", ["qc"])
        self._stock()
        self.a = self.plant.confirmed_order(quantity=1000, created_by_id=self.sales.id)
        self.b = self.plant.confirmed_order(quantity=500, created_by_id=self.sales.id)
        self.wo_a = self.call("planner", "post", f"/orders/{self.a.id}/convert", {})
        self.wo_b = self.call("planner", "post", f"/orders/{self.b.id}/convert", {})
        self.card_a, self.card_b = (self.card_of(wo["id"]) for wo in (self.wo_a, self.wo_b))

    def _stock(self) -> None:
        black = Sku(code="MB-BK", name="黑色母粒", unit="kg", colour="黑色|black")
        grey = Sku(code="MB-GY", name="灰色母粒", unit="kg", colour="灰色|Cool Gray")
        a = Warehouse(code="WH-A", name="原料仓", fence=YARD_A)
        b = Warehouse(code="WH-B", name="成品仓", fence=YARD_B)
        self.shelf = Location(warehouse=a, code="A-01")
        db.session.add_all([black, grey, a, b, self.shelf, Location(warehouse=b, code="B-01")])
        db.session.flush()
        bom = db.session.scalars(
            select(BomVersion).where(BomVersion.product_id == self.plant.product.id)
        ).one()
        db.session.add(BomLine(bom_id=bom.id, sku_id=black.id, qty_per=Decimal("0.01")))
        self.warehouses = (a.id, b.id)
        db.session.commit()
        with write_transaction():
            for sku in (black, grey):
                balances.post("receipt", sku.id, "", self.shelf.id, Decimal(100))
            resin = db.session.scalars(select(Sku).where(Sku.code == "RES-P-100")).one()
            balances.post("receipt", resin.id, "", self.shelf.id, Decimal(1000))

    def call(self, role: str, method: str, path: str, body: dict | None = None, status: int | None = None):
        headers = {**self.auth.headers(role), "Idempotency-Key": uuid.uuid4().hex}
        response = getattr(self.client, method)(f"/api/v1{path}", json=body, headers=headers)
        expected = status or (201 if path.endswith("/convert") or path.endswith("/reservations") else 200)
        assert response.status_code == expected, (path, response.json)
        return response.json

    def get(self, role: str, path: str, **query):
        response = self.client.get(f"/api/v1{path}", query_string=query, headers=self.auth.headers(role))
        assert response.status_code == 200, (path, response.json)
        return response.json

    def card_of(self, work_order_id: int) -> dict:
        cards = self.get("leader", "/task-cards")
        return next(c for c in cards if c["work_order"]["id"] == work_order_id)

    def transfer(self, ref: str, state: str) -> int:
        sku = db.session.scalars(select(Sku).where(Sku.code == "RES-P-100")).one()
        row = Transfer(
            order_ref=ref,
            order_kind="sales_order",
            sku_id=sku.id,
            qty=Decimal(10),
            picked_qty=None if state == REQUESTED else Decimal(10),
            from_warehouse_id=self.warehouses[0],
            to_warehouse_id=self.warehouses[1],
            state=state,
        )
        db.session.add(row)
        db.session.commit()
        return row.id

    def gantt_work_orders(self) -> set[str]:
        now = datetime.now(UTC)
        window = {
            "start": (now - timedelta(days=1)).isoformat(),
            "end": (now + timedelta(days=30)).isoformat(),
        }
        return {item["work_order"] for item in self.get("planner", "/gantt", **window)["items"]}

    def stage_count(self, stage: str) -> int:
        pool = self.get("planner", "/dashboard/order-pool")
        return next(row["count"] for row in pool["by_stage"] if row["key"] == stage)

    def desk(self, role: str):
        """A browser of its own, signed in to the pages as `role`."""
        make_user(role, [role])
        self.app.test_client_class = FreshUserClient
        browser = self.app.test_client()
        browser.post("/login", data={"username": role, "password": "demo"})
        return browser

    def planned_hours(self) -> float:
        heat = self.get("planner", "/dashboard/heatmap")
        return sum(cell["planned_hours"] for row in heat["workshops"] for cell in row["cells"])

    def socket(self, username: str):
        self.app.test_client_class = FreshUserClient
        phone = self.app.test_client()
        phone.post("/login", data={"username": username, "password": "demo"})
        g.pop("_login_user", None)
        sock = socketio.test_client(self.app, flask_test_client=phone)
        g.pop("_login_user", None)
        assert sock.emit("task_cards_subscribe", {"after": {}}, callback=True)["ok"] is True  # as leader.js
        sock.get_received()
        return sock


def received(sock, name: str, events: list | None = None) -> list[dict]:
    """The bodies of `name` events among `events` (default: what the phone got since last asked)."""
    return [e["args"][0] for e in (sock.get_received() if events is None else events) if e["name"] == name]


@pytest.fixture
def world(app, client, auth):
    return World(app, client, auth)


def test_cancel_reaches_work_orders_gantt_cards_material_transfers_dashboards_and_people(world):
    w = world
    w.call("leader", "post", f"/task-cards/{w.card_b['id']}/start")
    w.call("leader", "post", f"/task-cards/{w.card_b['id']}/report", {"good": 40})
    w.call(
        "planner",
        "post",
        f"/kitting/work-orders/{w.wo_a['id']}/reservations",
        {"sku": "RES-P-100", "qty": 50},
    )
    requested = w.transfer(w.a.number, REQUESTED)
    picked = w.transfer(w.wo_a["number"], PICKED)
    assert {w.wo_a["number"], w.wo_b["number"]} <= w.gantt_work_orders()
    planner_phone, leader_phone = w.socket("planner"), w.socket("leader")
    hours_before = w.planned_hours()

    impact = w.get("planner", f"/orders/{w.a.id}/stop-impact", action="cancel")
    assert impact["work_orders_to_cancel"] == [w.wo_a["number"]] and impact["allowed"] is True
    assert (impact["cards"], impact["reservations"]) == (1, 1)
    assert set(impact["transfers"]) == {f"TR{requested:06d}", f"TR{picked:06d}"}
    no_reason = w.call("planner", "post", f"/orders/{w.a.id}/cancel", {"reason": ""}, status=422)
    assert "reason" in no_reason["error"]["fields"]
    by_sales = w.call("sales", "post", f"/orders/{w.a.id}/cancel", {"reason": "客户取消"}, status=403)
    assert by_sales["error"]["code"] == "forbidden_cancel"  # in production: the planner or the VP

    order = w.call("planner", "post", f"/orders/{w.a.id}/cancel", {"reason": "客户取消订单"})
    assert (order["stage"], order["stop_reason"]) == ("cancelled", "客户取消订单")
    work_order = w.get("planner", f"/work-orders/{w.wo_a['id']}")
    assert (work_order["status"], work_order["stop_reason"]) == ("cancelled", "客户取消订单")
    assert {op["status"] for op in work_order["operations"]} == {"cancelled"}
    assert w.wo_a["number"] not in w.gantt_work_orders() and w.wo_b["number"] in w.gantt_work_orders()
    card = w.card_of(w.wo_a["id"])
    assert card["status"] == "cancelled"
    refused = w.call("leader", "post", f"/task-cards/{card['id']}/start", status=409)
    assert refused["error"]["code"] == "task_card_stopped" and "客户取消订单" in refused["error"]["message"]
    reservations = w.get("planner", f"/kitting/work-orders/{w.wo_a['id']}/reservations")
    assert [(r["released_at"] is not None, r["release_reason"]) for r in reservations] == [(True, "cancel")]
    assert w.wo_a["number"] not in [k["number"] for k in w.get("planner", "/kitting/alerts", days=60)]
    assert w.get("warehouse", f"/transfers/{requested}")["state"] == "cancelled"
    still_picked = w.get("warehouse", f"/transfers/{picked}")
    assert (still_picked["state"], still_picked["stopped_reason"]) == ("picked", "客户取消订单")
    stopped = w.call("warehouse", "post", f"/transfers/{picked}/dispatch", {}, status=409)
    assert stopped["error"]["code"] == "transfer_stopped"
    assert w.stage_count("cancelled") == 1
    assert w.planned_hours() < hours_before  # the heatmap no longer counts its machine time
    told = received(planner_phone, "order_update")
    assert [(b["number"], b["stage"], b["reason"]) for b in told] == [
        (w.a.number, "cancelled", "客户取消订单")
    ]
    updates = received(leader_phone, "task_card_update")
    assert [(c["id"], c["status"]) for c in updates] == [(card["id"], "cancelled")]

    # the started order: its work order goes on hold with the 40 pieces made kept
    w.call("vp", "post", f"/orders/{w.b.id}/cancel", {"reason": "客户不要了"})
    held = w.get("planner", f"/work-orders/{w.wo_b['id']}")
    assert (held["status"], Decimal(held["good_qty"])) == ("on_hold", 40)
    assert w.card_of(w.wo_b["id"])["status"] == "on_hold"
    w.call("leader", "post", f"/task-cards/{w.card_b['id']}/report", {"good": 1}, status=409)


def test_hold_and_resume_stop_and_bring_back_every_dependent_place(world):
    w = world
    w.call("leader", "post", f"/task-cards/{w.card_b['id']}/start")
    w.call(
        "planner",
        "post",
        f"/kitting/work-orders/{w.wo_b['id']}/reservations",
        {"sku": "RES-P-100", "qty": 30},
    )
    picked = w.transfer(w.b.number, PICKED)
    leader_phone = w.socket("leader")

    w.call("sales", "post", f"/orders/{w.b.id}/hold", {"reason": "客户暂停，等通知"})
    order = w.get("sales", f"/orders/{w.b.id}")
    assert (order["stage"], order["held_from"], order["next_stages"]) == (
        "on_hold",
        "in_production",
        ["in_production", "cancelled"],
    )
    assert w.get("planner", f"/work-orders/{w.wo_b['id']}")["status"] == "on_hold"
    assert w.wo_b["number"] not in w.gantt_work_orders()
    assert w.card_of(w.wo_b["id"])["status"] == "on_hold"
    w.call("leader", "post", f"/task-cards/{w.card_b['id']}/report", {"good": 5}, status=409)
    assert [
        r["release_reason"] for r in w.get("planner", f"/kitting/work-orders/{w.wo_b['id']}/reservations")
    ] == ["hold"]
    assert w.get("warehouse", f"/transfers/{picked}")["stopped_reason"] == "客户暂停，等通知"
    assert w.stage_count("on_hold") == 1
    assert [c["status"] for c in received(leader_phone, "task_card_update")] == ["on_hold"]

    order = w.call("sales", "post", f"/orders/{w.b.id}/resume")
    assert (order["stage"], order["held_from"], order["stop_reason"]) == ("in_production", None, None)
    work_order = w.get("planner", f"/work-orders/{w.wo_b['id']}")
    assert work_order["status"] == "in_progress" and work_order["operations"][0]["status"] == "started"
    assert w.wo_b["number"] in w.gantt_work_orders()
    assert w.card_of(w.wo_b["id"])["status"] == "started"
    w.call("leader", "post", f"/task-cards/{w.card_b['id']}/report", {"good": 5})
    reservations = w.get("planner", f"/kitting/work-orders/{w.wo_b['id']}/reservations")
    assert [(Decimal(r["qty"]), r["released_at"] is None) for r in reservations] == [(30, False), (30, True)]
    assert w.get("warehouse", f"/transfers/{picked}")["stopped_reason"] is None
    assert [c["status"] for c in received(leader_phone, "task_card_update")] == ["started", "started"]


def test_spec_change_reaches_work_order_card_material_list_qc_and_every_recipient(world):
    w = world
    w.call(
        "planner", "post", f"/kitting/work-orders/{w.wo_a['id']}/reservations", {"sku": "MB-BK", "qty": 10}
    )
    leader_phone, warehouse_phone, qc_phone = w.socket("leader"), w.socket("warehouse"), w.socket("qc")
    change = {"color_notes": "Pantone Cool Gray 9C，哑光", "quantity": "1200", "note": "客户改色"}
    saved = w.call("sales", "patch", f"/orders/{w.a.id}", change)

    work_order = w.get("qc", f"/work-orders/{w.wo_a['id']}")
    assert Decimal(work_order["quantity"]) == 1200
    assert work_order["spec"]["color_notes"] == "Pantone Cool Gray 9C，哑光"
    lines = {
        line["sku"]: line for line in w.get("warehouse", f"/kitting/work-orders/{w.wo_a['id']}")["lines"]
    }
    assert "MB-BK" not in lines and Decimal(lines["MB-GY"]["required"]) == 12  # 0.01 kg × 1,200
    reservation = w.get("planner", f"/kitting/work-orders/{w.wo_a['id']}/reservations")[0]
    assert reservation["release_reason"] == "spec_change"
    # the leader's card follows the order, live, and waits for the acknowledgement
    leader_events = leader_phone.get_received()
    pushed = received(leader_phone, "task_card_update", leader_events)
    assert [(c["id"], c["note"], Decimal(c["quantity"])) for c in pushed] == [
        (w.card_a["id"], "Pantone Cool Gray 9C，哑光", 1200)
    ]
    assert w.card_of(w.wo_a["id"])["note"] == "Pantone Cool Gray 9C，哑光"
    waiting = w.call("leader", "post", f"/task-cards/{w.card_a['id']}/start", status=409)
    assert waiting["error"]["code"] == "change_not_acknowledged" and waiting["error"]["changes"] == [
        saved["change_id"]
    ]
    assert [n["id"] for n in received(leader_phone, "change_notice", leader_events)] == [saved["change_id"]]
    for phone in (warehouse_phone, qc_phone):
        assert [n["id"] for n in received(phone, "change_notice")] == [saved["change_id"]]
    w.call("leader", "post", f"/changes/{saved['change_id']}/ack")
    assert w.call("leader", "post", f"/task-cards/{w.card_a['id']}/start")["status"] == "started"

    # a colour nobody stocks: the line is flagged for re-kitting
    w.call("sales", "patch", f"/orders/{w.a.id}", {"color_notes": "透明紫", "note": "再改"})
    flagged = w.get("warehouse", f"/kitting/work-orders/{w.wo_a['id']}")["lines"]
    assert [(line["sku"], line["needs_rekitting"]) for line in flagged if line["sku"].startswith("MB")] == [
        ("MB-BK", True)
    ]


def test_a_refused_cascade_step_undoes_the_change_that_caused_it(world):
    w = world
    w.call("leader", "post", f"/task-cards/{w.card_b['id']}/start")
    w.call("leader", "post", f"/task-cards/{w.card_b['id']}/report", {"good": 300})
    refused = w.call("sales", "patch", f"/orders/{w.b.id}", {"quantity": "200", "note": "减量"}, status=409)
    assert refused["error"]["code"] == "quantity_below_output" and "quantity" in refused["error"]["fields"]
    assert Decimal(w.get("sales", f"/orders/{w.b.id}")["quantity"]) == 500
    assert Decimal(w.get("planner", f"/work-orders/{w.wo_b['id']}")["quantity"]) == 500
    assert w.get("leader", "/changes")["items"] == []  # no notice was issued


def test_the_cancel_page_says_what_it_stops_and_asks_for_a_reason(world):
    w = world
    desk = w.desk("planner")
    page = desk.get(f"/orders/{w.a.id}/cancel")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert w.wo_a["number"] in text and 'data-testid="confirm-stop"' in text
    refused = desk.post(f"/orders/{w.a.id}/cancel", data={"reason": ""})
    assert refused.status_code == 422
    assert w.get("planner", f"/orders/{w.a.id}")["stage"] == "scheduling"
    done = desk.post(f"/orders/{w.a.id}/cancel", data={"reason": "客户取消"})
    assert done.status_code == 302
    detail = desk.get(f"/orders/{w.a.id}").get_data(as_text=True)
    assert 'data-testid="stop-reason"' in detail and "客户取消" in detail
    assert w.get("planner", f"/work-orders/{w.wo_a['id']}")["status"] == "cancelled"


def test_sales_may_not_cancel_an_order_in_production_from_its_page(world):
    w = world
    page = w.desk("sales").get(f"/orders/{w.a.id}/cancel").get_data(as_text=True)
    assert 'data-testid="stop-not-allowed"' in page and 'data-testid="confirm-stop"' not in page


def test_hold_and_resume_from_the_order_page(world):
    w = world
    desk = w.desk("planner")
    assert desk.post(f"/orders/{w.b.id}/hold", data={"reason": "等客户确认"}).status_code == 302
    detail = desk.get(f"/orders/{w.b.id}").get_data(as_text=True)
    assert 'data-testid="resume"' in detail
    assert desk.post(f"/orders/{w.b.id}/resume").status_code == 302
    assert w.get("planner", f"/orders/{w.b.id}")["stage"] == "scheduling"
    assert w.get("planner", f"/work-orders/{w.wo_b['id']}")["status"] == "released"


def test_the_order_history_shows_before_after_and_who_acknowledged_when(world):
    w = world
    saved = w.call("sales", "patch", f"/orders/{w.a.id}", {"packaging": "木托盘", "note": "客户来电"})
    w.call("leader", "post", f"/changes/{saved['change_id']}/ack")
    page = w.desk("planner").get(f"/orders/{w.a.id}").get_data(as_text=True)
    history = page[page.index('data-testid="change-history"') :]
    assert "carton" in history and "木托盘" in history
    assert "leader ✓" in history and 'data-testid="acknowledged-at"' in history


def test_a_cancelled_card_stays_on_the_leaders_page_for_three_days_then_goes(world):
    from datetime import timedelta

    from domain.production.models import TaskCard

    w = world
    w.call("planner", "post", f"/orders/{w.a.id}/cancel", {"reason": "客户取消"})
    assert w.card_of(w.wo_a["id"])["status"] == "cancelled"  # the leader sees why it went
    card = db.session.get(TaskCard, w.card_a["id"])
    card.stopped_at -= timedelta(days=3, minutes=1)
    db.session.commit()
    shown = [c["id"] for c in w.get("leader", "/task-cards")]
    assert w.card_a["id"] not in shown and w.card_b["id"] in shown
