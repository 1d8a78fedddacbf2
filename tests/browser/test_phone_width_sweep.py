"""Every page of every role fits a 360×740 phone: on the demo plant, each demo user signs in and walks
every page reachable from the home page by links (one page per URL shape: /orders/12 and /orders/13
are one), and no page scrolls sideways. A full-page screenshot of each is kept under test-artifacts/."""

import re
import threading
from collections import deque
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from demo.plant import seed_demo_plant
from domain.masterdata import Product
from domain.orders import changes
from domain.roles import ALL_ROLES
from domain.users import find_user
from extensions import db, socketio
from tests.browser.conftest import ARTIFACTS, PHONE, LiveServer
from tests.conftest import TEST_CONFIG

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES_PER_ROLE = 60
# Not pages to read on the phone: files, the API, printing sheets sized for paper by their @page rule,
# label links that only redirect, and links that change something or sign out.
SKIPPED = re.compile(
    r"^/(api/|static/|pwa/|s/|logout|language/|labels/(sheet|code)|.*\.(xlsx|csv|png|svg|pdf|json|geojson)$)"
    r"|/drawing|/label$"
)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app on the demo plant (`flask seed-demo`), served by threads like gunicorn does."""
    database = tmp_path_factory.mktemp("sweep") / "demo.sqlite"
    # Flask-SocketIO serves one app per process: the session's live server gets its Socket.IO back
    # after this module, or its phones would connect to this app's server.
    live_server_of_the_session = socketio.server
    app = create_app(
        {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    )
    with app.app_context():
        db.create_all()
        zone = ZoneInfo(app.config["PLANT_TIMEZONE"])
        seed_demo_plant(datetime.now(zone).date(), zone)
        # a process notice titled the way engineers write them: long, with unbroken part numbers
        model = db.session.execute(select(Product.model).order_by(Product.id)).scalars().first()
        title = "ECN-2026-0117-REV-C: gate-moved-to-rib-side-for-OH-HS-1420-A/B/C-housings 浇口改到加强筋一侧"
        changes.create_process_notice(model, title, "M-1420-02 同步修改。", find_user("planner"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="sweep-server", daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    if live_server_of_the_session is not None:
        socketio.server = live_server_of_the_session


def shape(path: str) -> str:
    """/orders/12?x=1 and /orders/13 are one page: numbers and the query do not make another."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


def links(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIPPED.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").tap()
    expect(page).not_to_have_url(re.compile(r"/login"))


def walk(page: Page, role: str) -> list[tuple[str, int]]:
    """(url, page width) of every page shape the role reaches that is wider than the screen."""
    seen, queue, wide, visited = set(), deque(["/"]), [], 0
    while queue and visited < PAGES_PER_ROLE:
        url = queue.popleft()
        if shape(url) in seen:
            continue
        seen.add(shape(url))
        response = page.goto(url)
        if (
            response is None
            or response.status >= 400
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        visited += 1
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            wide.append((url, width))
            page.screenshot(
                path=str(ARTIFACTS / f"sweep-{role}-{shape(url).strip('/').replace('/', '-')}.png")
            )
        queue.extend(link for link in links(page) if shape(link) not in seen)
    assert visited >= 5, f"{role} reached only {sorted(seen)}"  # the walk itself works
    return wide


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_page_of_the_role_scrolls_sideways_on_a_360_px_phone(browser: Browser, demo_server, role):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(base_url=demo_server.url, **PHONE)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, role)
        assert walk(page, role) == []
    finally:
        context.close()
