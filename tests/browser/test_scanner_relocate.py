"""Moving stock between two locations on the phone at 360×740: scan from, scan item, scan to, in three
scans and at most three taps, with the quantity in view beside Confirm; two ledger rows."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from domain.masterdata import Sku
from domain.stock.ledger import StockMove
from domain.users import find_user
from extensions import db
from tests.browser.scanner_phone import (
    ANSWER_MS,
    assert_quantity_beside_confirm,
    count_taps,
    outbox_items,
    phone_at,
    sign_in,
    sku_label,
    taps,
    wedge,
)
from tests.integration.stock_world import SKU, YARD_A, centre, label, put_stock

pytestmark = pytest.mark.browser


def test_stock_moves_between_two_locations_in_three_scans_and_three_taps(
    browser: Browser, live_server, world, screenshot
):
    built, _label = world
    live_server.add_user("mover", ["warehouse"])
    with live_server.app.app_context():
        put_stock(built.loc_a, "15")
        source, target = label(built.loc_a, live_server.url), label(built.loc_a2, live_server.url)
    context = phone_at(browser, live_server, centre(YARD_A))
    count_taps(context)
    page = context.new_page()
    sign_in(page, "mover")
    page.goto("/scan")
    expect(page.get_by_test_id("gps")).to_have_attribute("data-state", "good")
    page.get_by_text(re.compile("^(Move between locations|库位移库)$")).tap()
    wedge(page, source)
    expect(page.get_by_test_id("location-value")).to_have_text("A-01")
    wedge(page, sku_label(live_server))
    expect(page.get_by_test_id("step-item")).to_have_attribute("data-done", "1")
    wedge(page, target)
    expect(page.get_by_test_id("to-value")).to_have_text("A-02")
    expect(page.get_by_test_id("location-value")).to_have_text("A-01")  # the source stays
    expect(page.get_by_test_id("qty")).to_have_value("")  # resin is weighed: the worker enters it
    page.get_by_test_id("qty").tap()
    page.keyboard.type("2")
    expect(page.get_by_test_id("qty")).to_have_value("2")
    assert_quantity_beside_confirm(page)
    page.get_by_test_id("confirm-move").tap()

    expect(outbox_items(page, "done")).to_have_count(1, timeout=ANSWER_MS)
    screenshot(page, "relocated")
    assert taps(page) == 3  # the mode, the quantity field, Confirm: at most three, as asked
    with live_server.app.app_context():
        rows = db.session.execute(
            select(StockMove.kind, StockMove.qty, StockMove.location_id)
            .join(Sku, Sku.id == StockMove.sku_id)
            .where(StockMove.user_id == find_user("mover").id, Sku.code == SKU)
            .order_by(StockMove.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("relocate_out", Decimal(-2), built.loc_a),
        ("relocate_in", Decimal(2), built.loc_a2),
    ]
    context.close()
