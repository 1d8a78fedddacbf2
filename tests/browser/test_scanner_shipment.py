"""A shipment on the phone at 360×740: at the shelf, the order's product scanned, the quantity, the sales
order's label scanned, Confirm; checked against what was ordered and passed final inspection."""

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from domain.masterdata import Sku
from domain.stock.ledger import StockMove
from domain.users import find_user
from extensions import db
from scanning.labels import label_url
from tests.browser.scanner_phone import (
    ANSWER_MS,
    assert_quantity_beside_confirm,
    outbox_items,
    phone_at,
    sign_in,
    wedge,
)
from tests.conftest import make_user
from tests.integration.stock_world import (
    ORDER,
    PRODUCT,
    YARD_A,
    add_finished_stock,
    add_work_order,
    centre,
    label,
)

pytestmark = pytest.mark.browser


def test_a_shipment_against_a_sales_order_on_the_phone(browser: Browser, live_server, world, screenshot):
    built, _label = world
    live_server.add_user("shipper", ["warehouse"])
    with live_server.app.app_context():
        add_finished_stock(built.loc_a, "200")
        # A past day: conversions in the same live server number today's work orders (no collision).
        add_work_order("WO-20200102-0009", good_qty="120", final_passed_by=make_user("ship-qc", ["qc"]).id)
        token = label(built.loc_a, live_server.url).rsplit("/", 1)[1]
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "shipper")
    page.goto(f"/scan?loc={quote(token)}")
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1")
    page.get_by_text(re.compile("^(Ship|发货)$")).tap()
    expect(page.get_by_test_id("order-step")).to_be_visible()
    wedge(page, label_url(live_server.url, "sku", PRODUCT))
    expect(page.get_by_test_id("step-item")).to_have_attribute("data-done", "1")
    wedge(page, label_url(live_server.url, "wo", ORDER))  # the order's label, from its pick list
    expect(page.get_by_test_id("order-ref")).to_have_value(ORDER)
    page.get_by_test_id("qty").fill("150")  # more than passed inspection: refused by the server
    assert_quantity_beside_confirm(page)
    page.get_by_test_id("confirm-move").tap()
    refused = outbox_items(page, "refused")
    expect(refused).to_have_count(1, timeout=ANSWER_MS)
    expect(refused).to_contain_text(re.compile("终检|final inspection"))

    wedge(page, label_url(live_server.url, "sku", PRODUCT))
    page.get_by_test_id("qty").fill("120")
    page.get_by_test_id("confirm-move").tap()
    expect(outbox_items(page, "done")).to_have_count(1, timeout=ANSWER_MS)
    screenshot(page, "shipped")
    with live_server.app.app_context():
        rows = db.session.execute(
            select(StockMove.qty, StockMove.ref)
            .join(Sku, Sku.id == StockMove.sku_id)
            .where(
                StockMove.user_id == find_user("shipper").id,
                Sku.code == PRODUCT,
                StockMove.kind == "shipment",
            )
        ).all()
    assert [tuple(r) for r in rows] == [(Decimal(-120), ORDER)]
    context.close()
