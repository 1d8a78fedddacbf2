"""Orders on a phone in a real browser: a salesperson creates an order, sees every failed rule, fixes
them and submits; the VP approves a rush order that scored below the threshold."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from domain.masterdata import BomLine, BomVersion, Customer, Product, Sku
from domain.orders import rush_requests
from domain.orders.models import Order, OrderStageEvent
from domain.orders.service import plant_today
from domain.users import find_user
from extensions import db

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").tap()


def add_product_and_customer(app, customer_code: str, model: str, purchase: int = 1000) -> None:
    with app.app_context():
        customer = Customer(code=customer_code, name=f"客户 {customer_code}", purchase_12m=Decimal(purchase))
        product = Product(model=model, name=f"外壳 {model}", std_lead_days=15, mold="M-B", colorant="grey")
        sku = Sku(code=f"RES-{model}", name="ABS", unit="kg")
        db.session.add_all([customer, product, sku])
        db.session.flush()
        bom = BomVersion(product_id=product.id, version=1, status="active")
        bom.lines = [BomLine(sku_id=sku.id, qty_per=Decimal("0.1"))]
        db.session.add(bom)
        db.session.commit()


def test_sales_on_a_phone_creates_an_order_sees_the_failed_rules_fixes_them_and_submits(
    phone: BrowserContext, live_server, tmp_path, screenshot
):
    live_server.app.config["UPLOAD_FOLDER"] = str(tmp_path)
    live_server.add_user("phone-sales", ["sales"])
    add_product_and_customer(live_server.app, "BR-C1", "BR-P1")
    page = phone.new_page()
    sign_in(page, "phone-sales")

    page.goto("/orders/")
    page.get_by_test_id("new-order").tap()
    page.locator("#customer_code").fill("BR-C1")
    page.locator("#product_model").fill("BR-P1")
    page.locator("#quantity").fill("2000")
    with live_server.app.app_context():
        due = plant_today() + timedelta(days=30)
    page.locator("#due_date").fill(due.isoformat())
    page.get_by_test_id("submit-order").tap()

    rules = page.get_by_test_id("failed-rules")
    expect(rules).to_be_visible()
    codes = rules.locator("li[data-rule]")
    expect(codes).to_have_count(4)
    assert [codes.nth(i).get_attribute("data-rule") for i in range(4)] == [
        "sample_drawing",
        "flame_grade",
        "packaging",
        "unit_price",
    ]
    expect(rules).to_contain_text("请上传客户签样图")  # plain words, in the phone's language
    expect(page.locator("#field-flame_grade")).to_have_class(re.compile("flagged"))
    screenshot(page, "1-failed-rules")

    page.locator("#flame_grade").select_option("V-0")
    page.locator("#packaging").fill("纸箱，每箱 100 个")
    page.locator("#unit_price").fill("3.60")
    page.locator("#price_override_reason").fill("新客户首单价")
    page.locator("#drawing").set_input_files(
        {"name": "签样图.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_test_id("submit-order").tap()

    expect(page).to_have_url(re.compile(r"/orders/\d+(#.*)?$"))  # a redirect keeps the #rules anchor
    expect(page.locator('h1 [data-stage="confirmed"]')).to_be_visible()
    expect(page.get_by_test_id("failed-rules")).to_have_count(0)
    expect(page.get_by_test_id("drawing-link")).to_contain_text("签样图.pdf")
    screenshot(page, "2-confirmed")
    with live_server.app.app_context():
        order = db.session.execute(
            db.select(Order).where(Order.packaging == "纸箱，每箱 100 个")
        ).scalar_one()
        assert (order.stage, order.flame_grade) == ("confirmed", "V-0")


def pending_rush(app) -> int:
    """A confirmed order of a small customer, rushed at 70% of the standard lead time: below 4.2."""
    add_product_and_customer(app, "BR-C2", "BR-P2", purchase=1)
    with app.app_context():
        sales = find_user("phone-sales2")
        customer = db.session.execute(db.select(Customer).where(Customer.code == "BR-C2")).scalar_one()
        product = db.session.execute(db.select(Product).where(Product.model == "BR-P2")).scalar_one()
        order = Order(
            number="SO-BR-RUSH",
            customer=customer,
            product=product,
            quantity=Decimal(500),
            unit_price=Decimal(5),
            due_date=plant_today() + timedelta(days=20),
            stage="confirmed",
            flame_grade="HB",
            packaging="袋装",
            created_by_id=sales.id,
        )
        order.stage_events.append(OrderStageEvent(from_stage=None, to_stage="confirmed"))
        db.session.add(order)
        db.session.commit()
        ask = rush_requests.RushAsk(order.id, plant_today() + timedelta(days=10), "客户产线停线")
        rush = rush_requests.request_rush(ask, sales, plant_today())
        assert rush.status == rush_requests.PENDING_VP
        return rush.id


def test_vp_on_a_phone_approves_a_rush_order_below_the_threshold_with_a_comment(
    phone: BrowserContext, live_server, screenshot
):
    live_server.add_user("phone-sales2", ["sales"])
    live_server.add_user("phone-vp", ["vp"])
    rush_id = pending_rush(live_server.app)
    page = phone.new_page()
    sign_in(page, "phone-vp")

    page.goto("/rush/?status=pending_vp")
    page.locator(f'[data-rush="{rush_id}"] a').tap()
    expect(page.get_by_test_id("rush-status")).to_have_attribute("data-status", "pending_vp")
    dimensions = page.locator("[data-dimension]")
    expect(dimensions).to_have_count(5)
    expect(page.locator(".why")).to_have_count(5)
    composite = Decimal(page.get_by_test_id("composite").inner_text())
    assert composite < Decimal("4.2")
    screenshot(page, "1-rush-pending")

    page.locator("#comment").fill("重要客户，同意插单，计划员调整排产")
    page.get_by_test_id("approve-rush").tap()

    expect(page.get_by_test_id("rush-status")).to_have_attribute("data-status", "approved")
    expect(page.get_by_test_id("decision-comment")).to_contain_text("同意插单")
    screenshot(page, "2-rush-approved")
    with live_server.app.app_context():
        order = db.session.execute(db.select(Order).where(Order.number == "SO-BR-RUSH")).scalar_one()
        assert (order.is_rush, order.priority) == (True, "A")
