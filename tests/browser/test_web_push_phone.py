"""Web Push on a phone (DESIGN §4) in real Chromium: turning notifications on registers this
browser's subscription with the server, and a push delivered to the service worker shows a
notification whose target is the task card (tapping it runs the worker's notificationclick, which a headless
browser cannot tap). Chromium's own push service (FCM) is not reachable here, so
only that network endpoint is stubbed: PushManager.subscribe answers with a subscription at a local
push service, with keys the browser makes itself (WebCrypto); the app's code runs as it is."""

import json
import time

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from domain.delivery.models import PushSubscription
from domain.users import find_user
from extensions import db
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

ENDPOINT = "http://127.0.0.1:9/push/this-phone"  # nothing listens: the test delivers the push itself
PUSH_SERVICE_STUB = """
PushManager.prototype.subscribe = async function (options) {
  const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const auth = crypto.getRandomValues(new Uint8Array(16));
  const b64 = (bytes) =>
    btoa(String.fromCharCode(...bytes)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  const keys = { p256dh: b64(raw), auth: b64(auth) };
  window.__pushOptions = {
    userVisibleOnly: options.userVisibleOnly,
    keyLength: options.applicationServerKey.byteLength,
  };
  const endpoint = "%ENDPOINT%";
  return { endpoint, toJSON: () => ({ endpoint, keys }), unsubscribe: async () => true };
};
PushManager.prototype.getSubscription = async function () { return null; };
""".replace("%ENDPOINT%", ENDPOINT)


def eventually(page, script: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, script
        time.sleep(0.1)


def test_turning_notifications_on_registers_and_a_push_shows_the_card(browser: Browser, live_server):
    live_server.add_user("push-leader", ["leader"])
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(PUSH_SERVICE_STUB)
    page = context.new_page()
    page.goto("/login")
    page.locator("#username").fill("push-leader")
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").click()
    eventually(page, "navigator.serviceWorker.ready.then(() => true)")
    toggle = page.get_by_test_id("push-toggle")
    expect(toggle).to_have_attribute("data-state", "off")
    page.get_by_test_id("push-on").click()
    expect(toggle).to_have_attribute("data-state", "on")
    assert page.evaluate("window.__pushOptions") == {"userVisibleOnly": True, "keyLength": 65}
    with live_server.app.app_context():
        user = find_user("push-leader")
        rows = db.session.scalars(select(PushSubscription).where(PushSubscription.user_id == user.id)).all()
        assert [r.endpoint for r in rows] == [ENDPOINT]

    devtools = context.new_cdp_session(page)
    registrations = []
    devtools.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    devtools.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations:
        assert time.monotonic() < deadline
        page.wait_for_timeout(50)  # lets Playwright dispatch the CDP event; the condition is the registration
    message = {"title": "新任务卡 WO-20261207-0001", "body": "P-100 × 800", "url": "/leader"}
    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registrations[0]["registrationId"],
            "data": json.dumps(message),
        },
    )
    shown = (
        "navigator.serviceWorker.ready.then((r) => r.getNotifications())"
        ".then((ns) => ns.map((n) => [n.title, n.body, n.data.url]))"
    )
    eventually(page, f"{shown}.then((ns) => ns.length > 0)")
    assert page.evaluate(shown) == [["新任务卡 WO-20261207-0001", "P-100 × 800", f"{live_server.url}/leader"]]
    context.close()
