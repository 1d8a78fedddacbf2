"""What the scanner's browser tests do with a phone: open it at a place, sign in, scan with a hand
scanner (keyboard wedge), read the outbox and the ledger. Shared by the scanner test modules."""

import re
import time

from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from domain.masterdata import Sku
from domain.stock.ledger import StockMove
from domain.users import find_user
from extensions import db
from scanning.label_signing import current_key
from scanning.labels import container_url, label_url
from tests.browser.conftest import PHONE, LiveServer
from tests.integration.stock_world import SKU, centre

ANSWER_MS = 20_000  # the server's answer to a scan, on a machine shared with other test runs


def eventually(page: Page, script: str, timeout: float = 10.0) -> None:
    """Polls `script` (which may return a promise) until it is truthy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"never true: {script}"
        time.sleep(0.1)


def phone_at(
    browser: Browser, live_server: LiveServer, lon_lat: tuple[float, float], **extra
) -> BrowserContext:
    lon, lat = lon_lat
    context = browser.new_context(
        base_url=live_server.url,
        geolocation={"longitude": lon, "latitude": lat, "accuracy": 8},
        permissions=["geolocation", "camera"],
        **PHONE,
        **extra,
    )
    context.set_default_timeout(15_000)
    return context


def sign_in(page: Page, username: str) -> None:
    """Signs the phone in through the login form's own POST (the form's screen is tested elsewhere)."""
    form = page.request.get("/login").text()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    answer = page.request.post("/login", form={"csrf_token": token, "username": username, "password": "demo"})
    assert answer.ok and "/login" not in answer.url, (answer.status, answer.url)


# Every tap or click a person makes reaches the page as one trusted pointerdown; scans (the hand
# scanner's key presses, the camera's frames) make none, and neither does filling a field by script.
TAP_COUNTER = """addEventListener("pointerdown", (event) => {
  if (event.isTrusted) window.__taps = (window.__taps || 0) + 1;
}, true);"""


def count_taps(context: BrowserContext) -> None:
    """From the next page the context opens on, the worker's taps are counted (read with `taps`)."""
    context.add_init_script(TAP_COUNTER)


def taps(page: Page) -> int:
    """The taps made on the current page since it opened."""
    return page.evaluate("window.__taps || 0")


def container_label(live_server: LiveServer, lot: str, qty: str, sku: str = SKU) -> str:
    """A lot's container label that carries the quantity packed in it, signed by the live server."""
    with live_server.app.app_context():
        return container_url(live_server.url, current_key(), sku, lot, qty)


def sku_label(live_server: LiveServer) -> str:
    return label_url(live_server.url, "sku", SKU)


def moves_of(live_server: LiveServer, username: str, kind: str) -> list[tuple[str, str]]:
    """(kind, qty) of every ledger move the user made."""
    with live_server.app.app_context():
        user = find_user(username)
        rows = db.session.execute(
            select(StockMove.kind, StockMove.qty)
            .join(Sku, Sku.id == StockMove.sku_id)
            .where(StockMove.user_id == user.id, StockMove.kind == kind, Sku.code == SKU)
            .order_by(StockMove.id)
        ).all()
    return [(row.kind, str(row.qty.normalize())) for row in rows]


WEDGE = """([text, gap]) => new Promise((done) => {
  const keys = [...text, "Enter"];
  const press = () => {
    const key = keys.shift();
    const target = document.activeElement || document.body;
    target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  };
  if (!gap) {
    while (keys.length) press();
    return done();
  }
  const next = () => (press(), keys.length ? setTimeout(next, gap) : done());
  next();
})"""


def outbox_items(page: Page, state: str):
    """The scans of the outbox list in one state: queued, done or refused."""
    return page.locator(f'[data-testid="outbox-item"][data-state="{state}"]')


def wedge(page: Page, text: str, gap_ms: int = 0) -> None:
    """A keyboard-wedge hand scanner: the code as key presses, then Enter, wherever the focus is; at
    once (a scanner's microseconds apart) or `gap_ms` apart. The keys are sent from inside the page:
    over the DevTools protocol each key waits for a round trip, which on a loaded machine is slower
    than a person types."""
    page.evaluate(WEDGE, [text, gap_ms])


def outside(yard: dict, metres_west: float) -> tuple[float, float]:
    lon, lat = centre(yard)
    return lon - metres_west / 102_000, lat  # ~102 km per degree of longitude at 23° N


def scan_location_with_camera(page: Page) -> None:
    page.get_by_test_id("camera-toggle").tap()
    expect(page.get_by_test_id("camera")).to_have_attribute("data-state", "on")
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1", timeout=20_000)


def assert_quantity_beside_confirm(page: Page) -> None:
    """The quantity field is on screen (not below the fold) in the row of Confirm, at the phone's size."""
    height = page.viewport_size["height"]
    qty = page.get_by_test_id("qty").bounding_box()
    confirm = page.get_by_test_id("confirm-move").bounding_box()
    assert qty and confirm, "quantity or Confirm not rendered"
    assert qty["y"] >= 0 and qty["y"] + qty["height"] <= height, (qty, height)
    assert abs((qty["y"] + qty["height"] / 2) - (confirm["y"] + confirm["height"] / 2)) < 8, (qty, confirm)
    assert qty["width"] >= 56, qty  # wide enough to read "12.5"
