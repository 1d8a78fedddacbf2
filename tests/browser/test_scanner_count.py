"""A cycle count on the phone at 360×740: the quantity is typed (never assumed), the reason given, and
the difference lands as one adjustment."""

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
from tests.browser.scanner_phone import (
    ANSWER_MS,
    assert_quantity_beside_confirm,
    outbox_items,
    phone_at,
    sign_in,
    wedge,
)
from tests.integration.stock_world import YARD_A, centre, label, put_stock

pytestmark = pytest.mark.browser
COUNTED_SKU = "PK-CTN-09"


def test_a_count_is_typed_and_its_difference_becomes_an_adjustment(browser: Browser, live_server, world):
    built, _label = world
    live_server.add_user("counter", ["warehouse"])
    with live_server.app.app_context():
        db.session.add(Sku(code=COUNTED_SKU, name="纸箱", unit="pcs", units_per_handling_unit=Decimal(250)))
        db.session.commit()
        put_stock(built.loc_a2, "40", sku_code=COUNTED_SKU)
        token = label(built.loc_a2, live_server.url).rsplit("/", 1)[1]
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "counter")
    page.goto(f"/scan?loc={quote(token)}")
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1")
    page.get_by_text(re.compile("^(Count|盘点)$")).tap()
    wedge(page, f"{live_server.url}/s/sku/{COUNTED_SKU}")
    expect(page.get_by_test_id("step-item")).to_have_attribute("data-done", "1")
    expect(page.get_by_test_id("qty")).to_have_value("")  # typed, never assumed
    page.get_by_test_id("confirm-move").tap()
    expect(page.get_by_test_id("qty")).to_have_attribute("aria-invalid", "true")
    expect(outbox_items(page, "queued")).to_have_count(0)
    page.get_by_test_id("qty").fill("37")
    assert_quantity_beside_confirm(page)
    page.get_by_test_id("count-reason").fill("3 个压坏")
    page.get_by_test_id("confirm-move").tap()
    expect(outbox_items(page, "done")).to_have_count(1, timeout=ANSWER_MS)
    with live_server.app.app_context():
        rows = db.session.execute(
            select(StockMove.kind, StockMove.qty, StockMove.reason)
            .join(Sku, Sku.id == StockMove.sku_id)
            .where(StockMove.user_id == find_user("counter").id, Sku.code == COUNTED_SKU)
        ).all()
    assert [tuple(r) for r in rows] == [("adjustment", Decimal(-3), "count: 3 个压坏")]
    context.close()
