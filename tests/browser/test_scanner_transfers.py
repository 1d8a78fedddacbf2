"""A transfer (调拨单) done entirely on phones at 360×740: requested at the source shelf, picked,
dispatched, and received at the target short, with the reason, which lands as a discrepancy."""

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from domain.stock.transfers import Transfer, TransferDiscrepancy
from domain.users import find_user
from extensions import db
from tests.browser.scanner_phone import ANSWER_MS, outbox_items, phone_at, sign_in, sku_label, wedge
from tests.integration.stock_world import ORDER, YARD_A, YARD_B, centre, label, put_stock

pytestmark = pytest.mark.browser


def open_at_location(page: Page, live_server, location_id: int) -> None:
    """The scanner opened from the location's label, as a phone camera would open it."""
    with live_server.app.app_context():
        token = label(location_id, live_server.url).rsplit("/", 1)[1]
    page.goto(f"/scan?loc={quote(token)}")
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1")


def choose_kind(page: Page, names: str) -> None:
    page.get_by_text(re.compile(f"^({names})$")).tap()


def confirm_and_wait(page: Page, done: int) -> None:
    page.get_by_test_id("confirm-move").tap()
    expect(outbox_items(page, "done")).to_have_count(done, timeout=ANSWER_MS)


def transfer_of(live_server, username: str) -> Transfer:
    with live_server.app.app_context():
        user = find_user(username)
        transfer = db.session.execute(
            select(Transfer)
            .options(joinedload(Transfer.from_warehouse), joinedload(Transfer.to_warehouse))
            .where(Transfer.requested_by_id == user.id)
        ).scalar_one()
        db.session.expunge_all()
    return transfer


def test_a_transfer_is_requested_picked_dispatched_and_received_short_on_phones(
    browser: Browser, live_server, world, screenshot
):
    built, _label = world
    live_server.add_user("tr-source", ["warehouse"])
    live_server.add_user("tr-target", ["warehouse"])
    with live_server.app.app_context():
        put_stock(built.loc_a2, "30")
    source = phone_at(browser, live_server, centre(YARD_A))
    page = source.new_page()
    sign_in(page, "tr-source")
    open_at_location(page, live_server, built.loc_a2)

    # Request: the shelf scanned names the source; the item, quantity, order and target typed in.
    choose_kind(page, "Transfer request|调拨申请")
    expect(page.get_by_test_id("transfer-request")).to_be_visible()
    wedge(page, sku_label(live_server))
    expect(page.get_by_test_id("step-item")).to_have_attribute("data-done", "1")
    page.get_by_test_id("qty").fill("12")
    page.get_by_test_id("order-ref").fill(ORDER)
    page.get_by_test_id("to-warehouse").select_option("WH-B")
    confirm_and_wait(page, 1)
    transfer = transfer_of(live_server, "tr-source")
    assert (transfer.state, transfer.qty, transfer.from_warehouse.code, transfer.to_warehouse.code) == (
        "requested",
        Decimal(12),
        "WH-A",
        "WH-B",
    )

    # Pick at the same shelf: the transfer is chosen from the list of requested ones.
    choose_kind(page, "Transfer pick|调拨拣货")
    page.locator(f'button.transfer[data-transfer="{transfer.id}"]').tap()
    expect(page.get_by_test_id("qty")).to_have_value("12")
    confirm_and_wait(page, 2)
    assert transfer_of(live_server, "tr-source").state == "picked"

    # Dispatch: the picked transfer leaves on the truck (no shelf to scan).
    choose_kind(page, "Transfer dispatch|调拨发运")
    page.locator(f'button.transfer[data-transfer="{transfer.id}"]').tap()
    confirm_and_wait(page, 3)
    assert transfer_of(live_server, "tr-source").state == "in_transit"
    source.close()

    # Receive at the target yard on another phone: 11 counted of 12 sent, with the reason.
    target = phone_at(browser, live_server, centre(YARD_B))
    page = target.new_page()
    sign_in(page, "tr-target")
    open_at_location(page, live_server, built.loc_b)
    choose_kind(page, "Transfer receive|调拨收货")
    page.locator(f'button.transfer[data-transfer="{transfer.id}"]').tap()
    expect(page.get_by_test_id("qty")).to_have_value("12")
    expect(page.get_by_test_id("discrepancy")).to_be_hidden()
    page.get_by_test_id("qty").fill("11")
    expect(page.get_by_test_id("discrepancy")).to_be_visible()
    page.get_by_test_id("confirm-move").tap()  # no reason yet: refused on the phone, nothing queued
    expect(page.get_by_test_id("scan-message")).to_have_attribute("data-tone", "error")
    expect(outbox_items(page, "queued")).to_have_count(0)
    page.get_by_test_id("discrepancy-reason").fill("一箱压坏")
    confirm_and_wait(page, 1)
    screenshot(page, "transfer-received-short")
    received = transfer_of(live_server, "tr-source")
    assert (received.state, received.received_qty) == ("received", Decimal(11))
    with live_server.app.app_context():
        row = db.session.execute(
            select(TransferDiscrepancy).where(TransferDiscrepancy.transfer_id == transfer.id)
        ).scalar_one()
        assert (row.picked_qty, row.received_qty, row.note) == (Decimal(12), Decimal(11), "一箱压坏")
    target.close()
