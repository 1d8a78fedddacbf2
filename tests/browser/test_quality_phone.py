"""QC on a phone (DESIGN §7): a first-article inspection that fails on the checklist is recorded with
its photo, and the order then cannot move on to awaiting QC."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from domain.clock import utcnow
from domain.masterdata import BomLine, BomVersion, Customer, Product, Sku, Team, Workshop
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.quality import inspection_service
from domain.users import find_user
from extensions import db
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").tap()


def a_work_order_in_production(app) -> tuple[int, int, list[int]]:
    """Order BR-SO-Q1 in production with work order BR-WO-Q1 and a two-item checklist."""
    with app.app_context():
        product = Product(model="BR-Q1", name="外壳 BR-Q1")
        sku = Sku(code="RES-BR-Q1", name="PC", unit="kg")
        customer = Customer(code="BR-QC1", name="客户 BR-QC1")
        shop = Workshop(code="BR-WS-Q", name="注塑车间 Q")
        db.session.add_all([product, sku, customer, shop])
        db.session.flush()
        team = Team(code="BR-T-Q", name="一班", workshop_id=shop.id)
        bom = BomVersion(product_id=product.id, version=1, status="active", locked=True)
        bom.lines = [BomLine(sku_id=sku.id, qty_per=Decimal("0.05"))]
        order = Order(
            number="BR-SO-Q1",
            customer_id=customer.id,
            product_id=product.id,
            quantity=Decimal(500),
            due_date=date.today() + timedelta(days=10),
            stage="in_production",
        )
        db.session.add_all([team, bom, order])
        db.session.flush()
        work_order = WorkOrder(
            number="BR-WO-Q1",
            order_id=order.id,
            product_id=product.id,
            bom_version_id=bom.id,
            quantity=Decimal(500),
            team_id=team.id,
            planned_start=utcnow(),
        )
        db.session.add(work_order)
        db.session.commit()
        inspection_service.save_checklist(
            product.id,
            [
                {"name": "壁厚", "method": "measure", "nominal": Decimal("2.5"), "tol_minus": Decimal("0.1"),
                 "tol_plus": Decimal("0.1"), "unit": "mm"},
                {"name": "外观", "method": "check"},
            ],
            find_user("phone-qc"),
        )  # fmt: skip
        items = [i.id for i in inspection_service.checklist_items(product.id)]
        return order.id, work_order.id, items


def test_qc_records_a_failed_first_article_inspection_and_the_order_cannot_move_on(
    browser, live_server, tmp_path, screenshot
):
    live_server.app.config["UPLOAD_FOLDER"] = str(tmp_path)
    live_server.add_user("phone-qc", ["qc"])
    live_server.add_user("phone-planner", ["planner"])
    order_id, work_order_id, (wall, look) = a_work_order_in_production(live_server.app)
    qc_phone = browser.new_context(base_url=live_server.url, **PHONE)
    qc_phone.set_default_timeout(15_000)
    page = qc_phone.new_page()
    sign_in(page, "phone-qc")
    page.goto("/quality/")
    page.get_by_test_id("wo-search").fill("BR-WO-Q1")
    page.get_by_test_id("wo-search").press("Enter")
    page.get_by_test_id("wo-BR-WO-Q1").tap()
    expect(page.get_by_test_id("tab-first_article")).to_have_attribute("aria-current", "page")
    page.get_by_test_id(f"item_{wall}").fill("2.7")  # 0.2 over nominal: outside ±0.1
    page.get_by_test_id(f"item_{look}-pass").tap()
    page.get_by_test_id("photos").set_input_files(
        {"name": "毛边.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_test_id("record-inspection").tap()
    expect(page.locator(".flash-error")).to_contain_text("壁厚")
    record = page.get_by_test_id("inspection-history").locator("li").first
    expect(record).to_have_attribute("data-passed", "0")
    expect(record).to_contain_text("毛边.png")
    screenshot(page, "1-failed-first-article")
    qc_phone.close()

    planner_phone = browser.new_context(base_url=live_server.url, **PHONE)
    planner_phone.set_default_timeout(15_000)
    page = planner_phone.new_page()
    sign_in(page, "phone-planner")
    page.goto(f"/orders/{order_id}")
    page.get_by_test_id("move-awaiting_qc").tap()
    expect(page.locator(".flash-error")).to_contain_text("BR-WO-Q1")
    expect(page.get_by_test_id("order-number")).not_to_contain_text("待质检")
    screenshot(page, "2-order-cannot-move-on")
    planner_phone.close()
    with live_server.app.app_context():
        assert db.session.get(Order, order_id).stage == "in_production"
        [inspection] = inspection_service.inspections_of(work_order_id)
        assert (inspection.passed, [p.filename for p in inspection.photos]) == (False, ["毛边.png"])
