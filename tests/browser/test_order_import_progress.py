"""The order-sheet import in a real browser: a salesperson uploads a sheet of 6,000 rows, the worker
(its import loop, in the server's process as in the demo) runs the job, and the page shows the job's
progress while it runs (polling the API, which reads the job row) and the result when it has finished."""

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import func, select

from domain.delivery import runner
from domain.masterdata import BomVersion, Customer, PriceListEntry, Product
from domain.orders.models import Order
from extensions import db
from tests.browser.test_orders_phone import sign_in
from tests.integration.order_sheets import row, write_sheet

pytestmark = pytest.mark.browser
ROWS = 6000  # enough that the page polls the job at least once while it runs


def plant(app) -> None:
    with app.app_context():
        customer = Customer(code="XL-C1", name="导入客户")
        product = Product(model="XL-P1", name="导入产品")
        db.session.add_all([customer, product])
        db.session.flush()
        db.session.add(BomVersion(product_id=product.id, version=1, status="active"))
        db.session.add(
            PriceListEntry(
                customer_id=customer.id, product_id=product.id, unit_price=Decimal(3), unit_cost=Decimal(2)
            )
        )
        db.session.commit()


@pytest.fixture
def import_worker(live_server) -> Iterator[None]:
    """Only the import loop: the outbox of the session's other tests is not this test's to deliver."""
    workers = runner.start_thread(live_server.app, ("import-worker",))
    yield
    workers.stop()


@pytest.mark.usefixtures("import_worker")
def test_upload_shows_progress_then_the_result(phone: BrowserContext, live_server, tmp_path, screenshot):
    plant(live_server.app)
    live_server.add_user("sales", ["sales"])
    with live_server.app.app_context():  # due dates count from the plant's today
        rows = [row(f"XL-{i:05d}", customer="XL-C1", model="XL-P1") for i in range(ROWS)]
    sheet = write_sheet(tmp_path / "订单.xlsx", rows, title_row="订单明细")
    page = phone.new_page()
    sign_in(page, "sales")
    page.goto("/orders/excel/")
    page.get_by_test_id("import-file").set_input_files(str(sheet))
    with page.expect_navigation():
        page.get_by_test_id("import-submit").tap()
    expect(page.get_by_test_id("import-progress")).to_be_visible()
    # A poll brought the job's progress: the bar moved, by rows checked or (writing, the second half)
    # by the phase. Not the row count alone: the check pass of 6,000 rows can fall between two polls,
    # and on SQLite the writing pass's count moves only when it ends (the import holds the write lock).
    bar = page.get_by_test_id("import-progress").locator('[data-part="bar"]')
    expect(bar).to_have_attribute("value", re.compile(r"^[1-9][0-9]*$"), timeout=60_000)
    screenshot(page, "progress")
    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=120_000)
    screenshot(page, "done")
    with live_server.app.app_context():
        query = select(func.count(Order.id)).where(Order.original_ref.like("XL-%"))
        assert db.session.execute(query).scalar_one() == ROWS
