"""A quantity far above the usual (more than 10× the SKU's median move) is asked about once more."""

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
from tests.browser.scanner_phone import ANSWER_MS, outbox_items, phone_at, sign_in, wedge
from tests.integration.stock_world import YARD_A, centre, label, put_stock

pytestmark = pytest.mark.browser
BOXED = "PK-BOX-07"


def test_a_quantity_far_above_the_usual_needs_a_second_confirm(browser: Browser, live_server, world):
    built, _label = world
    live_server.add_user("big-receiver", ["warehouse"])
    with live_server.app.app_context():
        db.session.add(Sku(code=BOXED, name="周转箱", unit="pcs"))
        db.session.commit()
        for qty in ("4", "5", "6"):  # the usual move: 5
            put_stock(built.loc_a2, qty, sku_code=BOXED)
        token = label(built.loc_a2, live_server.url).rsplit("/", 1)[1]
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "big-receiver")
    page.goto(f"/scan?loc={quote(token)}")
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1")
    with page.expect_response(re.compile(r"/api/v1/stock/usual-quantity")):
        wedge(page, f"{live_server.url}/s/sku/{BOXED}")
    page.get_by_test_id("qty").fill("500")
    page.get_by_test_id("confirm-move").tap()
    message = page.get_by_test_id("scan-message")
    expect(message).to_have_attribute("data-tone", "warn")
    expect(message).to_contain_text("500")
    expect(outbox_items(page, "done")).to_have_count(0)
    expect(outbox_items(page, "queued")).to_have_count(0)
    page.get_by_test_id("confirm-move").tap()  # once more: the worker means it
    expect(outbox_items(page, "done")).to_have_count(1, timeout=ANSWER_MS)
    with live_server.app.app_context():
        rows = db.session.execute(
            select(StockMove.qty)
            .join(Sku, Sku.id == StockMove.sku_id)
            .where(StockMove.user_id == find_user("big-receiver").id, Sku.code == BOXED)
        ).scalars()
        assert list(rows) == [Decimal(500)]
    context.close()
