"""The dashboard in a real browser (DESIGN §9): an order turns red and flashing on an open dashboard,
without a reload, when a salesperson on a phone moves its due date to within 3 days (through the
order API, as the phone's pages call it); with reduced motion the alarm does not flash but keeps its
icon and a heavy border."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from domain.masterdata import BomLine, BomVersion, Customer, Product, Sku
from domain.orders.models import Order, OrderStageEvent
from domain.orders.service import plant_today
from domain.users import find_user
from extensions import db
from tests.browser.conftest import PHONE
from tests.browser.test_orders_phone import sign_in

pytestmark = pytest.mark.browser
DESK = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", "has_touch": True}


def order_due_in(app, days: int) -> tuple[int, str]:
    with app.app_context():
        customer = Customer(code="DASH-C1", name="看板客户", purchase_12m=Decimal(1000))
        product = Product(model="DASH-P1", name="看板外壳", std_lead_days=15, mold="M", colorant="black")
        sku = Sku(code="RES-DASH-P1", name="ABS", unit="kg")
        db.session.add_all([customer, product, sku])
        db.session.flush()
        bom = BomVersion(product_id=product.id, version=1, status="active")
        bom.lines = [BomLine(sku_id=sku.id, qty_per=Decimal("0.1"))]
        order = Order(
            number="SO-DASH-0001",
            customer_id=customer.id,
            product_id=product.id,
            quantity=Decimal(500),
            unit_price=Decimal(10),
            due_date=plant_today() + timedelta(days=days),
            priority="A",
            stage="in_production",
            flame_grade="V-0",
            packaging="carton",
            created_by_id=find_user("dash-sales").id,
        )
        order.stage_events.append(OrderStageEvent(from_stage=None, to_stage="in_production"))
        db.session.add_all([bom, order])
        db.session.commit()
        return order.id, order.number


def artifact_dir(default: Path) -> Path:
    """OH_TEST_ARTIFACTS if set, else the suite's test-artifacts/ folder."""
    return Path(os.environ.get("OH_TEST_ARTIFACTS") or default)


def test_open_dashboard_turns_an_order_red_when_its_due_date_moves_within_three_days(
    browser: Browser, live_server, screenshot
):
    live_server.add_user("dash-vp", ["vp"])
    live_server.add_user("dash-sales", ["sales"])
    order_id, number = order_due_in(live_server.app, 10)
    with live_server.app.app_context():
        soon = (plant_today() + timedelta(days=2)).isoformat()

    desk = browser.new_context(base_url=live_server.url, **DESK)
    desk.set_default_timeout(15_000)
    wall = desk.new_page()
    sign_in(wall, "dash-vp")
    wall.goto("/dashboard/")
    expect(wall.get_by_test_id("live-status")).to_have_attribute("data-state", "live")
    row = wall.locator(f'[data-testid="countdown-list"] li[data-order="{number}"]')
    expect(row).to_have_attribute("data-alarm", "0")
    wall.evaluate("window.__notReloaded = true")

    phone = browser.new_context(base_url=live_server.url, **PHONE)
    phone.set_default_timeout(15_000)
    sales = phone.new_page()
    sign_in(sales, "dash-sales")
    sales.goto(f"/orders/{order_id}")
    # The PWA's own call (session cookie, CSRF header, Idempotency-Key), as the phone's pages make it.
    answer = sales.evaluate(
        """async ([id, due]) => {
            const { apiFetch } = await import("/pwa/js/api.js");
            const body = { due_date: due };
            return (await apiFetch(`/api/v1/orders/${id}`, { method: "PATCH", body })).due_date;
        }""",
        [order_id, soon],
    )
    assert answer == soon

    expect(row).to_have_attribute("data-alarm", "1")
    expect(row).to_have_class("alarm tone-alarm")
    expect(row.locator(".alarm-icon")).to_be_visible()
    assert wall.evaluate("window.__notReloaded") is True  # updated live, not by a reload
    assert (
        wall.evaluate("getComputedStyle(document.querySelector('li.alarm')).animationName") == "alarm-flash"
    )
    path = screenshot(wall, "alarm")
    target = artifact_dir(path.parent) / path.name
    if target != path:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    print(f"dashboard screenshot: {target}")

    still = desk.new_page()
    still.emulate_media(reduced_motion="reduce")
    still.goto("/dashboard/")
    calm = still.locator(f'[data-testid="countdown-list"] li[data-order="{number}"]')
    expect(calm).to_have_attribute("data-alarm", "1")
    # Read the style from the row as it is now: a live redraw may replace the element at any moment.
    style = still.wait_for_function(
        """number => {
            const row = document.querySelector(`[data-testid="countdown-list"] li[data-order="${number}"]`);
            const s = row && getComputedStyle(row);
            return s && s.animationName ? [s.animationName, s.borderTopStyle, s.borderTopWidth] : null;
        }""",
        arg=number,
    ).json_value()
    assert style == ["none", "double", "6px"]
    expect(calm.locator(".alarm-icon")).to_be_visible()
    phone.close()
    desk.close()


def test_kpi_page_draws_its_charts_under_the_strict_csp(browser: Browser, live_server):
    live_server.add_user("kpi-vp", ["vp"])
    context = browser.new_context(base_url=live_server.url, **DESK)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, "kpi-vp")
    page.goto("/kpi/")
    expect(page.get_by_test_id("kpi-ohdi-table")).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('[data-chart=ohdi]'))"
    )
    drawn = page.evaluate(
        "['ohdi', 'missing'].map(n => !!Chart.getChart(document.querySelector(`[data-chart=${n}]`)))"
    )
    assert drawn == [True, True]
    assert not [e for e in errors if "Content Security Policy" in e]
    context.close()
