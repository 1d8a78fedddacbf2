"""Live dashboards (DESIGN §9): commits that touch orders are coalesced into one computation of the
modules, broadcast to every screen in the dashboard room; a salesperson's socket cannot join."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.masterdata import Location, Sku, Warehouse
from domain.orders.models import Order
from domain.stock.ledger import StockBalance
from extensions import db
from realtime import dashboard
from tests.conftest import make_user
from tests.integration import order_data as data
from tests.integration.test_realtime import connect, phone


def updates(sock) -> list[dict]:
    return [e["args"][0] for e in sock.get_received() if e["name"] == dashboard.UPDATE_EVENT]


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.config(DASHBOARD_PUSH_INTERVAL=2.0)
def test_five_quick_changes_reach_two_screens_as_one_computed_update(app):
    make_user("vp", ["vp"])
    make_user("planner", ["planner"])
    cust, model = data.customer("C001"), data.product("P-100")
    feed = dashboard.feed(app)
    wait_for(lambda: not feed._running)  # the master data's own round is over
    screens = [connect(app, phone(app, "vp")), connect(app, phone(app, "planner"))]
    for sock in screens:
        assert sock.emit(dashboard.JOIN_EVENT, callback=True) == {"ok": True}
        sock.get_received()
    before = feed.computations
    started = time.monotonic()
    for i in range(5):
        data.order_in_stage(cust, model, "in_production", number=f"SO-L{i}", due_in=2)
    assert time.monotonic() - started < 2.0, "the machine is too slow for this test's window"
    wait_for(lambda: feed.computations > before)
    wait_for(lambda: not feed._running)  # a second round would have run by now
    assert feed.computations == before + 1
    for sock in screens:
        [update] = updates(sock)
        assert set(update) == {"order_pool", "countdown"}
        assert update["order_pool"]["open_total"] == 5
        assert update["countdown"]["alarm_count"] == 5
        sock.disconnect()


@pytest.mark.config(DASHBOARD_PUSH_INTERVAL=0.2)
def test_a_due_date_edit_is_pushed_to_the_dashboard(app):
    make_user("vp", ["vp"])
    sock = connect(app, phone(app, "vp"))
    sock.emit(dashboard.JOIN_EVENT, callback=True)
    order = data.order_in_stage(
        data.customer("C001"), data.product("P-100"), "confirmed", number="SO-E", due_in=9
    )
    feed = dashboard.feed(app)
    wait_for(lambda: not feed._running)  # the creation's own update is out
    sock.get_received()
    row = db.session.get(Order, order.id)
    row.due_date = row.due_date - timedelta(days=7)
    db.session.commit()
    seen: list[dict] = []

    def latest_entry() -> dict | None:
        seen.extend(u for u in updates(sock) if "countdown" in u)
        orders = seen[-1]["countdown"]["orders"] if seen else []
        return next((o for o in orders if o["number"] == "SO-E"), None)

    # a late push of the creation (9 days left) may still arrive before the edit's
    wait_for(lambda: (entry := latest_entry()) is not None and entry["days_left"] != 9)
    entry = latest_entry()
    assert entry is not None, seen
    assert entry["days_left"] == 2 and entry["alarm"] is True
    sock.disconnect()


def test_salesperson_cannot_join_the_dashboard_room(app):
    make_user("sales", ["sales"])
    sock = connect(app, phone(app, "sales"))
    assert sock.emit(dashboard.JOIN_EVENT, callback=True) == {"ok": False}
    sock.disconnect()


def test_each_table_moves_only_the_modules_that_read_it():
    assert dashboard.modules_moved_by("sales_order") == {"order_pool", "countdown"}
    assert dashboard.modules_moved_by("stock_move") == {"kitting"}
    assert dashboard.modules_moved_by("stock_balance") == {"kitting"}
    assert dashboard.modules_moved_by("operation") == {"heatmap"}
    assert dashboard.modules_moved_by("inspection") == {"countdown"}
    assert dashboard.modules_moved_by("user") == frozenset()
    assert dashboard.modules_moved_by("audit_log") == frozenset()


@pytest.mark.config(DASHBOARD_PUSH_INTERVAL=0.3)
def test_a_stock_change_pushes_only_the_kitting_module(app):
    make_user("vp", ["vp"])
    data.product("P-100")  # a BOM line on SKU RES-P-100
    store = Warehouse(code="WH1", name="原料仓")
    db.session.add(store)
    db.session.flush()
    shelf = Location(warehouse_id=store.id, code="A-01")
    db.session.add(shelf)
    db.session.commit()
    sock = connect(app, phone(app, "vp"))
    sock.emit(dashboard.JOIN_EVENT, callback=True)
    time.sleep(0.8)  # the product's own update
    sock.get_received()
    sku = db.session.execute(db.select(Sku).where(Sku.code == "RES-P-100")).scalar_one()
    db.session.add(StockBalance(sku_id=sku.id, lot="", location_id=shelf.id, qty=Decimal(50)))
    db.session.commit()
    received: list[dict] = []
    wait_for(lambda: received.extend(updates(sock)) or bool(received), timeout=5)
    assert [set(update) for update in received] == [{"kitting"}]
    sock.disconnect()
