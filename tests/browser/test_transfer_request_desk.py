"""A planner on a phone at 360×740 taps "Request a transfer" on a kitting shortage: the transfer
request form opens with the short SKU, the quantity short, the work order and both warehouses."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, expect

from domain.kitting import service as kitting
from domain.masterdata import BomLine, BomVersion, Customer, Product, Sku, Team, Workshop
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.stock import balances
from domain.transactions import write_transaction
from extensions import db
from tests.browser.scanner_phone import phone_at, sign_in
from tests.integration.stock_world import SKU, YARD_A, centre, put_stock

pytestmark = pytest.mark.browser

WORK_ORDER = "WO-20200102-0077"


def work_order_short_of_resin(loc_a: int, loc_b: int) -> tuple[int, Decimal]:
    """A work order for 100,000 parts of 0.05 kg of the world's resin (5 t: more than any test of the
    session leaves on the shelves), fed from WH-A; its id and the resin it is short."""
    resin = db.session.execute(db.select(Sku).where(Sku.code == SKU)).scalar_one()
    customer = db.session.execute(db.select(Customer).where(Customer.code == "C-DG-01")).scalar_one()
    product = Product(model="HX-077", name="盖板 HX-077")
    shop = Workshop(code="WS-TR", name="注塑三车间")
    db.session.add_all([product, shop])
    db.session.flush()
    bom = BomVersion(product_id=product.id, version=1, status="active", locked=True)
    bom.lines = [BomLine(sku_id=resin.id, qty_per=Decimal("0.05"))]
    team = Team(code="T-TR", name="注塑三班", workshop_id=shop.id)
    order = Order(
        number="SO-2026-0077",
        customer_id=customer.id,
        product_id=product.id,
        quantity=Decimal(100_000),
        due_date=date(2026, 12, 31),
        stage="in_production",
    )
    db.session.add_all([bom, team, order])
    db.session.flush()
    work_order = WorkOrder(
        number=WORK_ORDER,
        order_id=order.id,
        product_id=product.id,
        bom_version_id=bom.id,
        quantity=Decimal(100_000),
        team_id=team.id,
    )
    db.session.add(work_order)
    db.session.commit()
    put_stock(loc_a, "2")
    put_stock(loc_b, "3")
    with write_transaction():
        balances.post("issue", resin.id, "", loc_a, Decimal(-1), ref=WORK_ORDER)  # WH-A feeds its line
    [line] = kitting.for_work_order(work_order.id).lines
    return work_order.id, line.status.short


def test_a_shortage_opens_the_transfer_request_prefilled_in_one_tap(browser: Browser, live_server, world):
    built, _label = world
    live_server.add_user("kit-planner", ["planner"])
    with live_server.app.app_context():
        work_order_id, short = work_order_short_of_resin(built.loc_a, built.loc_b)
    assert short > 0
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "kit-planner")
    page.goto(f"/quality/kitting/{work_order_id}")
    page.get_by_test_id(f"request-transfer-{SKU}").tap()
    expect(page.get_by_test_id("transfer-request-form")).to_be_visible()
    expect(page.get_by_test_id("transfer-order-ref")).to_have_value(WORK_ORDER)
    expect(page.get_by_test_id("transfer-sku")).to_have_value(SKU)
    expect(page.get_by_test_id("transfer-qty")).to_have_value(format(short.normalize(), "f"))
    expect(page.get_by_test_id("transfer-to-warehouse")).to_have_value("WH-A")
    expect(page.get_by_test_id("transfer-from-warehouse")).to_have_value(re.compile("^WH-B$"))
    context.close()
