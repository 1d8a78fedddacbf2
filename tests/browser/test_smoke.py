"""The phone's path through the shell in a real browser: sign in, role home page, language switch,
the shell still opening with the network gone, and a new version rolling out cleanly."""

import re
import time
from dataclasses import replace

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser


def eventually(page: Page, script: str, timeout: float = 30.0) -> None:
    """Polls `script` (which may return a promise, unlike wait_for_function) until it is truthy; the
    worker installs ~40 files first, which on a busy CI machine takes more than a few seconds."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"never true: {script}"
        time.sleep(0.1)


def sign_in(page: Page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.locator("#username").fill(username)
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").tap()


def wait_for_service_worker(page: Page) -> None:
    """Until the worker is active and controls the page. A page whose navigation was in flight while
    the worker took over may stay uncontrolled (Chromium's clients.claim() skips it); like a user's
    next page, a reload is then controlled."""
    eventually(page, "navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    eventually(page, "navigator.serviceWorker.controller !== null")


def is_saved(url: str) -> str:
    return f"caches.match('{url}', {{ ignoreVary: true }}).then((hit) => hit !== undefined)"


def shell_caches(page: Page) -> list[str]:
    return page.evaluate("caches.keys().then((names) => names.filter((n) => n.startsWith('oh-shell-')))")


def test_phone_signs_in_switches_language_and_reopens_offline(phone: BrowserContext, live_server, screenshot):
    live_server.add_user("smoke-sales", ["sales"])
    page = phone.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    sign_in(page, "smoke-sales")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator('[data-testid="role-card"][data-role="sales"]')).to_be_visible()
    screenshot(page, "1-home-zh")

    wait_for_service_worker(page)
    page.get_by_test_id("lang-switch").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/")  # the switch keeps the user where they were
    eventually(page, is_saved(page.url))  # the worker saves a page just after handing it over
    screenshot(page, "2-home-en")
    assert problems == []

    phone.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_test_id("topbar")).to_be_visible()
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('[data-testid="role-card"][data-role="sales"]')).to_be_visible()
    screenshot(page, "3-offline")


def test_page_never_opened_shows_the_offline_page_without_network(phone: BrowserContext, live_server):
    live_server.add_user("smoke-qc", ["qc"])
    page = phone.new_page()
    sign_in(page, "smoke-qc")
    wait_for_service_worker(page)

    phone.set_offline(True)
    page.goto("/never-opened")
    expect(page.get_by_test_id("offline-page")).to_be_visible()
    expect(page.get_by_test_id("topbar")).to_be_visible()
    expect(page.get_by_test_id("offline-banner")).to_be_visible()


def test_signing_out_forgets_the_pages_saved_for_that_user(phone: BrowserContext, live_server):
    live_server.add_user("smoke-cs", ["cs"])
    page = phone.new_page()
    sign_in(page, "smoke-cs")
    wait_for_service_worker(page)
    page.reload()  # this time through the worker, which saves the home page
    home = page.url
    eventually(page, is_saved(home))

    page.get_by_test_id("sign-out").tap()
    expect(page).to_have_url(re.compile(r"/login"))
    eventually(page, f"{is_saved(home)}.then((saved) => !saved)")


def test_chromium_finds_the_app_installable(profiled_phone: BrowserContext, live_server):
    live_server.add_user("smoke-warehouse", ["warehouse"])
    page = profiled_phone.new_page()
    sign_in(page, "smoke-warehouse")
    wait_for_service_worker(page)
    devtools = profiled_phone.new_cdp_session(page)
    assert devtools.send("Page.getAppManifest")["errors"] == []
    assert devtools.send("Page.getInstallabilityErrors")["installabilityErrors"] == []


BARE_POST = """async ([url, body]) => {
  const response = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                                     body: JSON.stringify(body)});
  return [response.status, (await response.json()).error.code];
}"""
HELPED_POST = """async ([url, body]) => {
  const { apiFetch } = await import("/pwa/js/api.js");
  return apiFetch(url, { method: "POST", body }).catch((e) => [e.name, e.status, e.code]);
}"""


def test_api_helper_passes_the_csrf_check_a_bare_fetch_fails(phone: BrowserContext, live_server):
    live_server.add_user("smoke-planner", ["planner"])
    page = phone.new_page()
    sign_in(page, "smoke-planner")
    credentials = {"username": "smoke-planner", "password": "demo"}
    assert page.evaluate(BARE_POST, ["/api/v1/auth/token", credentials]) == [400, "csrf_failed"]
    assert page.evaluate(HELPED_POST, ["/api/v1/auth/token", credentials])["token"]


def test_api_helper_raises_the_error_shape_of_the_api(phone: BrowserContext, live_server):
    live_server.add_user("smoke-leader", ["leader"])
    page = phone.new_page()
    sign_in(page, "smoke-leader")
    wrong = {"username": "smoke-leader", "password": "wrong"}
    assert page.evaluate(HELPED_POST, ["/api/v1/auth/token", wrong]) == [
        "ApiError",
        401,
        "invalid_credentials",
    ]


@pytest.fixture
def next_release(live_server):
    """Makes the server look freshly deployed: the service worker script now carries a new version."""
    current = live_server.app.extensions["pwa_shell"]
    release = replace(current, version="0" * 16 if current.version != "0" * 16 else "1" * 16)
    yield lambda: live_server.app.extensions.update(pwa_shell=release)
    live_server.app.extensions["pwa_shell"] = current


def test_new_version_waits_for_the_user_then_replaces_the_old_one(
    phone: BrowserContext, live_server, next_release
):
    live_server.add_user("smoke-vp", ["vp"])
    page = phone.new_page()
    sign_in(page, "smoke-vp")
    wait_for_service_worker(page)
    [old_cache] = shell_caches(page)

    next_release()
    page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    update_bar = page.get_by_test_id("update-bar")
    expect(update_bar).to_be_visible()
    assert old_cache in shell_caches(page)  # still in use: the page was not pulled from under the user

    with page.expect_navigation():
        update_bar.get_by_role("button").tap()
    expect(update_bar).to_be_hidden()
    eventually(page, f"caches.keys().then((names) => !names.includes('{old_cache}'))")
    assert len(shell_caches(page)) == 1
