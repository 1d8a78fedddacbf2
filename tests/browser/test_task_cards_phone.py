"""Task cards in real browsers (DESIGN §4): a planner converts an order; a team leader's phone, in a
second browser context, shows the card without reloading, with its cue, shows a duplicate delivery
once, and acknowledges the card (已接收)."""

import uuid
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from domain.masterdata import Customer, Product, RoutingStep, Team
from domain.orders.models import Order
from domain.production.card_payload import card_payload
from domain.production.models import Machine, TaskCard
from domain.users import find_user
from extensions import db
from tests.browser.conftest import PHONE
from tests.integration import order_data as data

pytestmark = pytest.mark.browser


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").click()


def build_plant(live_server, tag: str) -> int:
    """A product molded on one machine, its workshop's team led by `lead-<tag>`, a confirmed order."""
    live_server.add_user(f"lead-{tag}", ["leader"])
    live_server.add_user(f"plan-{tag}", ["planner"])
    with live_server.app.app_context():
        product = data.product(f"BR-{tag}", workshop_code=f"WB-{tag}")
        workshop_id = db.session.execute(
            select(RoutingStep.workshop_id).where(RoutingStep.product_id == product.id)
        ).scalar_one()
        db.session.add(Machine(workshop_id=workshop_id, code=f"IM-{tag}", name="注塑机"))
        db.session.add(
            Team(
                code=f"T-{tag}",
                name=f"一班 {tag}",
                workshop_id=workshop_id,
                leader_id=find_user(f"lead-{tag}").id,
            )
        )
        db.session.commit()
        order = data.order_in_stage(
            data.customer(f"CB-{tag}"), product, "confirmed", number=f"SO-BR-{tag}", quantity=Decimal(500)
        )
        return order.id


@pytest.fixture
def planner_desk(browser: Browser, live_server) -> BrowserContext:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_leader_phone_receives_the_card_live_and_acknowledges_it(
    phone: BrowserContext, planner_desk: BrowserContext, live_server, screenshot
):
    tag = uuid.uuid4().hex[:6]
    order_id = build_plant(live_server, tag)
    assert PHONE["viewport"]["width"] == 360

    leader = phone.new_page()
    sign_in(leader, f"lead-{tag}")
    leader.goto("/leader")
    expect(leader.get_by_test_id("live-status")).to_have_attribute("data-state", "online")
    expect(leader.get_by_test_id("task-card")).to_have_count(0)

    planner = planner_desk.new_page()
    sign_in(planner, f"plan-{tag}")
    planner.goto(f"/orders/{order_id}")
    with planner.expect_navigation():
        planner.get_by_test_id("convert-order").click()
    number = planner.get_by_test_id("work-order-number").inner_text().split()[0]
    assert number.startswith("WO-")

    card = leader.get_by_test_id("task-card")
    expect(card).to_have_count(1)  # arrived without a reload
    expect(card).to_contain_text(number)
    expect(card).to_contain_text(f"IM-{tag}")
    expect(card.locator("[data-slot=quantity]")).to_have_text("500 件")
    shown_ops = card.locator("[data-slot=operations] li").first.inner_text()
    with live_server.app.app_context():
        stored = db.session.get(TaskCard, int(card.get_attribute("data-card-id")))
        op_start = stored.work_order.operations[0].planned_start.isoformat() + "Z"
    style = (
        '{month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: "Asia/Shanghai"}'
    )
    in_plant_time = leader.evaluate(f"(iso) => new Date(iso).toLocaleString([], {style})", op_start)
    assert leader.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") != "Asia/Shanghai"
    assert in_plant_time in shown_ops  # the operation's start in plant time, not the browser's zone
    expect(leader.get_by_test_id("new-card-alert")).to_be_visible()
    expect(leader.locator("body")).to_have_attribute("data-cues", "1")
    screenshot(leader, "card-arrived")
    leader.get_by_test_id("new-card-alert").tap()  # the banner opens the card it announces
    expect(leader.get_by_test_id("new-card-alert")).to_be_hidden()
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()

    # the same card delivered again (a replay racing a live push) is shown once, with no second cue
    with live_server.app.app_context():
        stored = db.session.execute(select(TaskCard).where(TaskCard.title.startswith(number))).scalar_one()
        server = live_server.app.extensions["socketio_server"]  # the live app's own (a sweep app may exist)
        server.emit("task_card", card_payload(stored), to=f"team:{stored.team_id}", namespace="/")
        card_id = stored.id
    leader.wait_for_timeout(500)
    expect(card).to_have_count(1)
    expect(leader.locator("body")).to_have_attribute("data-cues", "1")

    leader.get_by_test_id("card-ack").tap()
    expect(card).to_have_attribute("data-status", "acknowledged")
    expect(card.get_by_test_id("card-start")).to_be_visible()
    expect(card.get_by_test_id("card-ack")).to_be_hidden()
    with live_server.app.app_context():
        assert db.session.get(TaskCard, card_id).status == "acknowledged"
    screenshot(leader, "acknowledged")


def convert_in_server(live_server, order_id: int, username: str) -> str:
    """A conversion the way the API does it, inside the live server's process: the card is pushed
    once the conversion commits (its WorkOrderConverted event)."""
    from domain.production.conversion import convert_to_production

    with live_server.app.app_context():
        converted = convert_to_production(order_id, find_user(username))
        return converted.work_order.number


def test_a_phone_that_was_offline_gets_the_missed_cards_in_order_once(phone: BrowserContext, live_server):
    tag = uuid.uuid4().hex[:6]
    first = build_plant(live_server, tag)
    with live_server.app.app_context():
        product_id = db.session.get(Order, first).product_id
        customer_id = db.session.get(Order, first).customer_id
        more = [
            data.order_in_stage(
                db.session.get(Customer, customer_id),
                db.session.get(Product, product_id),
                "confirmed",
                number=f"SO-BR-{tag}-{n}",
            ).id
            for n in range(2)
        ]
        team_id = db.session.execute(select(Team.id).where(Team.code == f"T-{tag}")).scalar_one()

    leader = phone.new_page()
    sign_in(leader, f"lead-{tag}")
    leader.goto("/leader")
    expect(leader.get_by_test_id("live-status")).to_have_attribute("data-state", "online")
    seen = convert_in_server(live_server, first, f"plan-{tag}")
    expect(leader.get_by_test_id("task-card")).to_have_count(1)

    phone.set_offline(True)  # the phone loses the network; the server drops its connection
    with live_server.app.app_context():
        server = live_server.app.extensions["socketio_server"]
        for sid, _ in list(server.manager.get_participants("/", f"team:{team_id}")):
            server.disconnect(sid)
    expect(leader.get_by_test_id("live-status")).to_have_attribute("data-state", "offline")
    missed = [convert_in_server(live_server, order_id, f"plan-{tag}") for order_id in more]
    leader.wait_for_timeout(1500)  # reconnection attempts fail meanwhile
    expect(leader.get_by_test_id("task-card")).to_have_count(1)

    phone.set_offline(False)
    expect(leader.get_by_test_id("live-status")).to_have_attribute("data-state", "online", timeout=20_000)
    cards = leader.get_by_test_id("task-card")
    expect(cards).to_have_count(3)
    titles = [t.split(" · ")[0] for t in cards.locator("h2").all_inner_texts()]
    assert titles == [*reversed(missed), seen]  # newest on top
    expect(leader.locator("body")).to_have_attribute("data-cues", "3")


def test_a_process_change_stays_on_the_card_until_the_leader_acknowledges_it(
    phone: BrowserContext, live_server
):
    from domain.orders.changes import create_process_notice

    tag = uuid.uuid4().hex[:6]
    order_id = build_plant(live_server, tag)
    convert_in_server(live_server, order_id, f"plan-{tag}")
    leader = phone.new_page()
    sign_in(leader, f"lead-{tag}")
    leader.goto("/leader")
    expect(leader.get_by_test_id("live-status")).to_have_attribute("data-state", "online")
    card = leader.get_by_test_id("task-card")
    expect(card.get_by_test_id("card-notice")).to_have_count(0)

    with live_server.app.app_context():
        create_process_notice(f"BR-{tag}", "模温改为 85°C", "见工艺卡 v3", find_user(f"plan-{tag}"))
    expect(card.get_by_test_id("card-notice")).to_contain_text("模温改为 85°C")  # pushed, no reload
    leader.reload()
    expect(card.get_by_test_id("card-notice")).to_contain_text("模温改为 85°C")  # still there

    card.get_by_test_id("card-notice-ack").tap()
    expect(card.get_by_test_id("card-notice")).to_have_count(0)
    leader.reload()
    expect(leader.get_by_test_id("task-card")).to_have_count(1)
    expect(card.get_by_test_id("card-notice")).to_have_count(0)


def test_a_spec_change_rewrites_the_card_live_and_badges_the_warehouse_page(
    phone: BrowserContext, browser: Browser, live_server, screenshot
):
    """DESIGN §3.0: the leader's card shows the new colour without a reload, with the change on top,
    and a warehouse phone on another page gets the waiting-change badge in its menu at once."""
    from domain.orders import service as order_service

    tag = uuid.uuid4().hex[:6]
    order_id = build_plant(live_server, tag)
    convert_in_server(live_server, order_id, f"plan-{tag}")
    live_server.add_user(f"admin-{tag}", ["admin"])  # records the customer's change
    live_server.add_user(f"wh-{tag}", ["warehouse"])
    leader = phone.new_page()
    sign_in(leader, f"lead-{tag}")
    leader.goto("/leader")
    expect(leader.get_by_test_id("live-status")).to_have_attribute("data-state", "online")
    card = leader.get_by_test_id("task-card")
    expect(card.locator("[data-slot=note]")).to_be_hidden()

    warehouse_phone = browser.new_context(base_url=live_server.url, **PHONE)
    warehouse_phone.set_default_timeout(10_000)
    warehouse = warehouse_phone.new_page()
    sign_in(warehouse, f"wh-{tag}")
    warehouse.goto("/")
    badge = warehouse.get_by_test_id("notice-badge")
    expect(badge).to_be_hidden()
    warehouse.wait_for_function("() => window.io !== undefined")  # the live connection is loading
    expect(badge).to_have_attribute("data-notice-count", "0")

    with live_server.app.app_context():
        change = {"color_notes": "Pantone Cool Gray 9C", "quantity": 12000}
        today = order_service.plant_today()
        order_service.update_order(order_id, change, find_user(f"admin-{tag}"), today, "zh_CN", "客户改色")

    expect(card.locator("[data-slot=note]")).to_have_text("Pantone Cool Gray 9C")  # no reload
    expect(card.locator("[data-slot=quantity]")).to_have_text("12,000 件")
    expect(card.get_by_test_id("card-notice")).to_contain_text("Pantone Cool Gray 9C")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("1")
    screenshot(leader, "spec-change-on-card")

    from domain.orders import stops as order_stops

    with live_server.app.app_context():
        order_stops.hold_order(order_id, "客户暂停", find_user(f"admin-{tag}"))
    expect(card.get_by_test_id("card-stopped")).to_have_text("已暂停: 客户暂停")
    expect(card.get_by_test_id("card-start")).to_be_hidden()
    expect(warehouse.get_by_test_id("order-toast")).to_contain_text("已暂停 — 客户暂停")
    warehouse_phone.close()


def test_the_card_says_the_first_article_holds_more_good_pieces(phone: BrowserContext, live_server):
    tag = uuid.uuid4().hex[:6]
    order_id = build_plant(live_server, tag)
    convert_in_server(live_server, order_id, f"plan-{tag}")
    leader = phone.new_page()
    sign_in(leader, f"lead-{tag}")
    leader.goto("/leader")
    card = leader.get_by_test_id("task-card")
    card.get_by_test_id("card-start").tap()
    expect(card).to_have_attribute("data-status", "started")
    line = card.get_by_test_id("card-first-article")
    expect(line).to_have_attribute("data-state", "waiting")
    expect(line).to_contain_text("5")

    card.get_by_test_id("report-good").fill("5")
    card.get_by_test_id("card-report").tap()
    expect(line).to_have_attribute("data-state", "blocked")  # the sample is made: QC's turn
    expect(line).to_contain_text("首件检验")

    card.get_by_test_id("report-good").fill("1")
    card.get_by_test_id("card-report").tap()
    expect(card.locator("[data-slot=error]")).to_contain_text("首件")  # the server's refusal, in Chinese
    expect(card.get_by_test_id("card-progress")).to_contain_text("5 / 0")
