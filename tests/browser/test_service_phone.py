"""A service technician on a phone: opens the assigned ticket, arrives, scans (types) the serial,
ticks the recommended part, writes the diagnosis and resolves while offline; back online the outbox
sends it, the part is issued from the service point's stock through the ledger, once."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from domain.service import ticket_service, ticket_work
from domain.service.tickets import ServiceTicket
from domain.stock.ledger import StockMove
from domain.stock.stock_check import check_stock
from domain.users import find_user
from extensions import db
from tests.integration.service_world import PART, build_service_world, stock

pytestmark = pytest.mark.browser


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").tap()


def prepare(app) -> SimpleNamespace:
    """The world, one earlier repair that used the clip kit (so it is recommended), and the new
    ticket for the shipped serial, assigned to the technician."""
    from datetime import date
    from zoneinfo import ZoneInfo

    with app.app_context():
        world = build_service_world()
        stock(world.locations[world.middle][0], PART, "6")
        cs, tech = find_user("cs"), find_user("tech")
        today, zone = date(2026, 11, 25), ZoneInfo("Asia/Shanghai")
        past = ticket_service.create_ticket(
            ticket_service.TicketRequest(
                "SN-OLD-7", "上壳卡扣断裂，合不上", customer=world.customer, product=world.product
            ),
            cs,
            today,
            12,
            zone,
        )
        ticket_service.assign(past.id, "tech", cs)
        ticket_work.arrive(past.id, tech)
        ticket_work.resolve(past.id, "换卡扣", [ticket_work.PartLine(PART, 1)], world.middle, tech)
        ticket = ticket_service.create_ticket(
            ticket_service.TicketRequest(world.serial, "卡扣断了，壳子合不上"), cs, today, 12, zone
        )
        ticket_service.assign(ticket.id, "tech", cs)
        return SimpleNamespace(world=world, ticket_id=ticket.id, number=ticket.number)


def issues(app, number: str) -> list:
    with app.app_context():
        return db.session.execute(select(StockMove.kind, StockMove.qty).where(StockMove.ref == number)).all()


def test_a_technician_resolves_an_assigned_ticket_on_the_phone_offline_then_online(
    phone: BrowserContext, live_server, screenshot
):
    app = live_server.app
    setup = prepare(app)
    page = phone.new_page()
    sign_in(page, "tech")

    page.goto("/service/")
    page.get_by_role("link", name=setup.number).tap()
    expect(page.get_by_test_id("tech-panel")).to_be_visible()
    expect(page.get_by_test_id("ticket-number").get_by_test_id("ticket-state")).to_have_attribute(
        "data-state", "assigned"
    )
    page.get_by_test_id("arrive").tap()
    expect(page.get_by_test_id("arrive")).to_be_hidden()
    expect(page.get_by_test_id("tech-message")).to_have_attribute("data-tone", "")  # sent, not queued
    with app.app_context():
        assert db.session.get(ServiceTicket, setup.ticket_id).state == "on_site"

    serial = page.get_by_test_id("scan-serial")
    serial.fill(f"{live_server.url}/s/sn/{setup.world.serial}")
    serial.press("Enter")
    expect(page.get_by_test_id("serial-result")).to_have_attribute("data-ok", "true")
    expect(serial).to_have_value(setup.world.serial)
    page.get_by_test_id("diagnosis-input").fill("上壳卡扣断裂，已更换卡扣组件")
    page.get_by_test_id(f"use-{PART}").check()
    page.get_by_test_id("part-point").select_option(setup.world.middle)
    screenshot(page, "1-ready")

    phone.set_offline(True)
    page.get_by_test_id("resolve").tap()
    expect(page.get_by_test_id("tech-message")).to_have_attribute("data-tone", "queued")
    expect(page.get_by_test_id("outbox-count")).to_be_visible()
    screenshot(page, "2-offline-queued")
    with app.app_context():
        assert db.session.get(ServiceTicket, setup.ticket_id).state == "on_site"
    assert issues(app, setup.number) == []

    with page.expect_navigation(timeout=20_000):  # sent when the network returns, then reloaded
        phone.set_offline(False)
    expect(page.get_by_test_id("ticket-number").get_by_test_id("ticket-state")).to_have_attribute(
        "data-state", "resolved"
    )
    expect(page.get_by_test_id("parts-used")).to_contain_text(PART)
    screenshot(page, "3-resolved")
    with app.app_context():
        ticket = db.session.get(ServiceTicket, setup.ticket_id)
        assert (ticket.state, ticket.diagnosis) == ("resolved", "上壳卡扣断裂，已更换卡扣组件")
        assert check_stock().ok
    assert [(kind, int(qty)) for kind, qty in issues(app, setup.number)] == [("issue", -1)]


def test_customer_service_opens_a_ticket_on_a_phone_with_serial_facts_and_part_advice(
    phone: BrowserContext, live_server, screenshot
):
    app = live_server.app
    with app.app_context():
        ticket = db.session.execute(select(ServiceTicket).where(ServiceTicket.serial == "SN-OLD-7")).scalar()
        if ticket is None:  # run alone: the first test's world and earlier repair are not there
            prepare(app)
    page = phone.new_page()
    sign_in(page, "cs")
    page.goto("/service/new")
    page.get_by_test_id("serial").fill("SN-OLD-7")
    page.get_by_test_id("serial").press("Tab")
    expect(page.get_by_test_id("serial-facts")).to_contain_text(
        "东莞市华辉电子科技有限公司"
    )  # known from its repair
    page.get_by_test_id("fault").fill("卡扣断了，上下壳合不上")
    expect(page.get_by_test_id("advice")).to_contain_text(PART)
    screenshot(page, "1-new-ticket")
    with page.expect_navigation():
        page.get_by_test_id("open-ticket").tap()
    expect(page.get_by_test_id("ticket-number").get_by_test_id("ticket-state")).to_have_attribute(
        "data-state", "open"
    )
    expect(page.get_by_test_id("recommendations")).to_contain_text(PART)
    page.get_by_test_id("technician").select_option("tech")
    with page.expect_navigation():
        page.get_by_test_id("assign").tap()
    expect(page.get_by_test_id("ticket-number").get_by_test_id("ticket-state")).to_have_attribute(
        "data-state", "assigned"
    )
    screenshot(page, "2-assigned")
