"""A live server on a fresh SQLite file and Debian's headless Chromium driven by Playwright, with a
phone's screen (360×740, touch, zh-CN). Skipped only when /usr/bin/chromium is not installed."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from extensions import db
from tests.conftest import TEST_CONFIG, make_user
from tests.integration.stock_world import build_world, label

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-gpu",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class LiveServer:
    url: str
    app: Flask

    def add_user(self, username: str, roles: list[str]) -> None:
        with self.app.app_context():
            make_user(username, roles)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The real app, CSRF on as in production, served by threads like gunicorn does."""
    database = tmp_path_factory.mktemp("live") / "live.sqlite"
    app = create_app(
        {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    )
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package 'chromium'); browser tests need it")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh phone: no cookies, no service worker, no caches."""
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def profiled_phone(playwright: Playwright, live_server: LiveServer, tmp_path) -> Iterator[BrowserContext]:
    """A phone with a real profile on disk: Chromium refuses to install apps from incognito contexts,
    which is what `phone` is."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        base_url=live_server.url,
        **PHONE,
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def screenshot(request) -> Callable[[Page, str], Path]:
    """Saves a full-page screenshot under test-artifacts/, named after the test and the step."""

    def take(page: Page, step: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def world(live_server: LiveServer):
    """Two fenced yards (WH-A, WH-B) with signed location labels, the SKU, and a warehouse worker: one
    per test session, shared by the scanner modules (each test signs in a user of its own)."""
    with live_server.app.app_context():
        built = build_world()
        location_label = label(built.loc_a, live_server.url)
    live_server.add_user("scan-worker", ["warehouse"])
    live_server.add_user("scan-leader", ["leader"])
    return built, location_label
