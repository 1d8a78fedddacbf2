"""Web Push on a phone (DESIGN §4) in real Chromium: turning notifications on registers this
browser's subscription with the server, and a push delivered to the service worker shows a
notification whose target is the task card; clicking it opens the card. A headless browser has no OS
notification to tap, so the test dispatches a notificationclick to the service worker itself.
Chromium's own push service (FCM) is not reachable here, so only that network endpoint is stubbed:
PushManager.subscribe answers with a subscription at a local push service, with keys the browser
makes itself (WebCrypto); the app's code runs as it is."""

import json
import time
import uuid

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, expect
from sqlalchemy import select

from domain.delivery.models import WEB_PUSH, OutboxMessage, PushSubscription
from domain.production.models import TaskCard
from domain.users import find_user
from extensions import db
from tests.browser.conftest import PHONE
from tests.browser.test_task_cards_phone import build_plant, convert_in_server, sign_in

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


SHOWN = (
    "navigator.serviceWorker.ready.then((r) => r.getNotifications())"
    ".then((ns) => ns.map((n) => [n.title, n.body, n.data.url]))"
)
CLICK_THE_NOTIFICATION = """async () => {
  const [notification] = await self.registration.getNotifications();
  self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
  return notification.data.url;
}"""


def leaders_phone(browser: Browser, live_server) -> BrowserContext:
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(PUSH_SERVICE_STUB)
    return context


def turn_push_on(page: Page, username: str, live_server) -> None:
    sign_in(page, username)
    eventually(page, "navigator.serviceWorker.ready.then(() => true)")
    toggle = page.get_by_test_id("push-toggle")
    expect(toggle).to_have_attribute("data-state", "off")
    page.get_by_test_id("push-on").click()
    expect(toggle).to_have_attribute("data-state", "on")
    assert page.evaluate("window.__pushOptions") == {"userVisibleOnly": True, "keyLength": 65}
    with live_server.app.app_context():
        user = find_user(username)
        rows = db.session.scalars(select(PushSubscription).where(PushSubscription.user_id == user.id)).all()
        assert [r.endpoint for r in rows] == [ENDPOINT]


def registration_id(devtools: CDPSession, page: Page) -> str:
    """The registration whose worker has finished activating: a push delivered to one still activating
    may be dropped."""
    activated: list[str] = []

    def versions(event: dict) -> None:
        activated.extend(v["registrationId"] for v in event["versions"] if v["status"] == "activated")

    devtools.on("ServiceWorker.workerVersionUpdated", versions)
    devtools.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not activated:
        assert time.monotonic() < deadline
        page.wait_for_timeout(50)  # lets Playwright dispatch the CDP event; the condition is the activation
    return activated[0]


def queued_push(live_server, order_id: int, username: str) -> tuple[dict, int]:
    """Convert the order; the outbox row for this phone, as the worker sends it (worker.wecom_sender)."""
    number = convert_in_server(live_server, order_id, username)
    with live_server.app.app_context():
        row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == WEB_PUSH)).all()[-1]
        card_id = db.session.scalar(select(TaskCard.id).where(TaskCard.title.startswith(number)))
        return {"title": row.title, "body": row.body, "url": row.path}, card_id


def test_turning_notifications_on_registers_and_a_push_shows_the_card(browser: Browser, live_server):
    live_server.add_user("push-leader", ["leader"])
    context = leaders_phone(browser, live_server)
    page = context.new_page()
    turn_push_on(page, "push-leader", live_server)
    devtools = context.new_cdp_session(page)
    message = {"title": "新任务卡 WO-20261207-0001", "body": "P-100 × 800", "url": "/leader"}
    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id(devtools, page),
            "data": json.dumps(message),
        },
    )
    eventually(page, f"{SHOWN}.then((ns) => ns.length > 0)")
    assert page.evaluate(SHOWN) == [["新任务卡 WO-20261207-0001", "P-100 × 800", f"{live_server.url}/leader"]]
    context.close()


def keep_open(page: Page, controlled: bool) -> None:
    """The app's window as it may be on the phone: controlled by the service worker (the usual case),
    or loaded past it (the very first visit, before the worker took over; here a hard reload)."""
    if controlled:
        page.reload()
        eventually(page, "navigator.serviceWorker.controller !== null")
    else:
        with page.expect_navigation():
            page.context.new_cdp_session(page).send("Page.reload", {"ignoreCache": True})
        eventually(page, "navigator.serviceWorker.controller === null")


@pytest.mark.parametrize("controlled", [True, False], ids=["controlled-window", "window-before-the-worker"])
def test_clicking_the_notification_opens_the_card_in_the_open_window(
    browser: Browser, live_server, controlled: bool
):
    tag = uuid.uuid4().hex[:6]
    order_id = build_plant(live_server, tag)
    context = leaders_phone(browser, live_server)
    page = context.new_page()
    turn_push_on(page, f"lead-{tag}", live_server)
    keep_open(page, controlled)  # on the home page
    message, card_id = queued_push(live_server, order_id, f"plan-{tag}")
    assert message["url"] == f"/leader#card-{card_id}"
    devtools = context.new_cdp_session(page)
    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id(devtools, page),
            "data": json.dumps(message),
        },
    )
    eventually(page, f"{SHOWN}.then((ns) => ns.length > 0)")
    [worker] = context.service_workers
    card_url = f"{live_server.url}/leader#card-{card_id}"
    assert worker.evaluate(CLICK_THE_NOTIFICATION) == card_url
    expect(page).to_have_url(card_url)
    card = page.locator(f'[data-testid="task-card"][data-card-id="{card_id}"]')
    expect(card).to_be_visible()
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()
    eventually(page, f"{SHOWN}.then((ns) => ns.length === 0)")  # the click closed the notification
    context.close()
