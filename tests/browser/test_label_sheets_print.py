"""Label sheets printed by Chromium: the PDF's pages are 50×30 mm or A4, and every printed code reads."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext

from domain.masterdata import Location, Warehouse
from extensions import db
from scanning.decoding import read_codes
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
MM = 72 / 25.4  # PDF points per millimetre
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]")


@pytest.fixture(scope="module")
def label_yard(live_server: LiveServer) -> list[str]:
    """A warehouse of its own (other browser tests share the live server) with three locations."""
    with live_server.app.app_context():
        yard = Warehouse(code="WH-LBL", name="标签仓")
        db.session.add_all([yard, *(Location(warehouse=yard, code=f"L-{i:02d}") for i in range(1, 4))])
        db.session.commit()
    live_server.add_user("label-printer", ["warehouse"])
    return ["L-01", "L-02", "L-03"]


@pytest.fixture
def desk(browser: Browser, live_server: LiveServer, label_yard) -> BrowserContext:
    """The office PC that prints: a desktop window, sharp rendering."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1200, "height": 900}, device_scale_factor=3
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.locator("#username").fill("label-printer")
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").click()
    yield context
    context.close()


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    return [(round(float(w) / MM, 1), round(float(h) / MM, 1)) for w, h in MEDIA_BOX.findall(pdf)]


PAPERS = [("thermal", (50.0, 30.0), 3), ("a4", (210.0, 297.0), 1)]


@pytest.mark.parametrize(("paper", "size", "pages"), PAPERS)
def test_printed_sheet_has_the_paper_size(desk, paper, size, pages):
    page = desk.new_page()
    page.goto(f"/labels/locations?warehouse=WH-LBL&format={paper}")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    sizes = page_sizes_mm(pdf)
    assert len(sizes) == pages
    assert all(abs(w - size[0]) < 0.6 and abs(h - size[1]) < 0.6 for w, h in sizes), sizes


@pytest.mark.parametrize("paper", ["thermal", "a4"])
def test_every_printed_code_reads_back_to_its_label(desk, label_yard, paper):
    page = desk.new_page()
    page.goto(f"/labels/locations?warehouse=WH-LBL&format={paper}")
    page.emulate_media(media="print")
    labels = page.get_by_test_id("label")
    assert labels.count() == 3
    for i, code in enumerate(label_yard):
        label = labels.nth(i)
        shot = Image.open(io.BytesIO(label.screenshot())).convert("L")
        assert read_codes(shot) == [label.get_attribute("data-payload")]
        assert label.locator(".label-title").inner_text() == code
        title_box = label.locator(".label-title").bounding_box()
        code_box = label.locator("svg").bounding_box()
        assert title_box["y"] >= code_box["y"] + code_box["height"] - 1  # the text sits under the code
