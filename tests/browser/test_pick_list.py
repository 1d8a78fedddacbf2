"""A sales order's pick list (拣货单) printed from the desk, its QR read back from the page, then scanned
on a phone at 360×740: Ship mode with the order set, and the item shipped against it."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from domain.masterdata import BomVersion, Customer, Product, Sku, Team, Workshop
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.quality.inspections import FINAL, Inspection
from domain.stock.ledger import StockMove
from extensions import db
from scanning.decoding import read_codes
from scanning.labels import label_url
from tests.browser.scanner_phone import ANSWER_MS, outbox_items, phone_at, sign_in, wedge
from tests.conftest import make_user
from tests.integration.stock_world import YARD_A, centre, label, put_stock

pytestmark = pytest.mark.browser

ORDER, MODEL = "SO-2026-0042", "HX-420"


def order_ready_to_ship(location_id: int) -> int:
    """A sales order for 300 of HX-420: 200 passed final inspection, 250 on the shelf; its id."""
    customer = Customer(code="C-PL-01", name="佛山家电")
    product = Product(model=MODEL, name="面板 HX-420")
    shop = Workshop(code="WS-PL", name="注塑二车间")
    db.session.add_all(
        [customer, product, shop, Sku(code=MODEL, name="面板 HX-420", unit="pcs", kind="finished")]
    )
    db.session.flush()
    order = Order(
        number=ORDER,
        customer_id=customer.id,
        product_id=product.id,
        quantity=Decimal(300),
        due_date=date(2026, 12, 31),
    )
    team = Team(code="T-PL", name="注塑二班", workshop_id=shop.id)
    bom = BomVersion(product_id=product.id, version=1, status="active", locked=True)
    db.session.add_all([order, team, bom])
    db.session.flush()
    work_order = WorkOrder(
        number="WO-20200102-0420",
        order_id=order.id,
        product_id=product.id,
        bom_version_id=bom.id,
        quantity=Decimal(300),
        team_id=team.id,
        good_qty=Decimal(200),
    )
    db.session.add(work_order)
    db.session.flush()
    inspector = make_user("pick-qc", ["qc"])
    db.session.add(
        Inspection(work_order_id=work_order.id, kind=FINAL, passed=True, inspector_id=inspector.id)
    )
    db.session.commit()
    put_stock(location_id, "250", sku_code=MODEL)
    return order.id


def test_the_pick_list_qr_sets_ship_mode_and_the_order_ships(
    browser: Browser, live_server, world, screenshot
):
    built, _label = world
    live_server.add_user("picker", ["warehouse"])
    with live_server.app.app_context():
        order_id = order_ready_to_ship(built.loc_a)
        location_label = label(built.loc_a, live_server.url)
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "picker")

    page.goto(f"/orders/{order_id}")
    page.get_by_test_id("pick-list-link").click()
    expect(page.get_by_test_id("pick-order")).to_have_text(ORDER)
    expect(page.get_by_test_id("pick-customer")).to_have_text("佛山家电")
    line = page.get_by_test_id("pick-line")
    expect(line.get_by_test_id("pick-ordered")).to_contain_text("300")
    expect(line.get_by_test_id("pick-inspected")).to_contain_text("200")
    expect(line.get_by_test_id("pick-shipped")).to_contain_text("0")
    expect(line.get_by_test_id("pick-to-ship")).to_contain_text("300")
    expect(line.get_by_test_id("pick-shelf")).to_have_text(re.compile(r"^WH-A A-01: 250\b"))
    screenshot(page, "pick-list")
    qr = page.get_by_test_id("pick-list-qr").locator("svg")
    printed = read_codes(Image.open(io.BytesIO(qr.screenshot())).convert("L"))
    assert printed[:1] == [label_url(live_server.url, "wo", ORDER)]

    page.goto("/scan")
    wedge(page, printed[0])  # the pick list's QR, read by the phone
    expect(page.locator('input[name="kind"][value="shipment"]')).to_be_checked()
    expect(page.get_by_test_id("order-ref")).to_have_value(ORDER)
    wedge(page, location_label)
    wedge(page, label_url(live_server.url, "sku", MODEL))
    expect(page.get_by_test_id("qty")).to_have_value("1")
    page.get_by_test_id("qty").fill("150")
    page.get_by_test_id("confirm-move").tap()
    expect(outbox_items(page, "done")).to_have_count(1, timeout=ANSWER_MS)

    page.goto(f"/orders/{order_id}/pick-list")
    expect(page.get_by_test_id("pick-shipped")).to_contain_text("150")
    expect(page.get_by_test_id("pick-to-ship")).to_contain_text("150")
    with live_server.app.app_context():
        shipped = (
            db.session.execute(
                select(StockMove.qty)
                .join(Sku)
                .where(Sku.code == MODEL, StockMove.kind == "shipment", StockMove.ref == ORDER)
            )
            .scalars()
            .all()
        )
    assert shipped == [Decimal(-150)]
    context.close()
