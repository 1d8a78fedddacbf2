"""The phone scanner in a real browser: a location label read through Chromium's fake camera, the move
in the ledger inside the fence and refused outside it; five scans queued offline, a reload while
offline, all five applied exactly once when the network returns; and the installable-shell checks on
/scan (manifest, service worker, weight of the first load)."""

import io
import json
import re
import time
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import quote

import pytest
import qrcode
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect
from sqlalchemy import select

from domain.stock.ledger import StockMove
from domain.users import find_user
from extensions import db
from scanning.errors import LabelRefused
from scanning.label_signing import derive_key
from scanning.labels import label_url, read_label
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer
from tests.browser.fake_camera import write_label_clip
from tests.browser.scanner_phone import (
    ANSWER_MS,
    assert_quantity_beside_confirm,
    container_label,
    count_taps,
    eventually,
    moves_of,
    outbox_items,
    outside,
    phone_at,
    scan_location_with_camera,
    sign_in,
    sku_label,
    taps,
    wedge,
)
from tests.integration.stock_world import SKU, YARD_A, centre, put_stock

pytestmark = pytest.mark.browser

MAX_FIRST_LOAD = 300 * 1024
WASM = "zxing_reader.wasm"
OUTSIDE = re.compile(r"地理围栏外 \d+ 米|\d+ m outside the fence")


@pytest.fixture(scope="module")
def camera_browser(playwright: Playwright, world, tmp_path_factory) -> Iterator[Browser]:
    """Chromium whose camera films the printed label of location A-01, over and over."""
    _built, location_label = world
    video = write_label_clip(tmp_path_factory.mktemp("camera") / "location.y4m", location_label)
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
    yield browser
    browser.close()


def test_a_receipt_takes_two_scans_and_two_taps_with_the_container_quantity_in_view(
    camera_browser: Browser, live_server, world, screenshot
):
    context = phone_at(camera_browser, live_server, centre(YARD_A))
    count_taps(context)
    page = context.new_page()
    sign_in(page, "scan-worker")
    page.goto("/scan")
    expect(page.get_by_test_id("gps")).to_have_attribute("data-state", "good")

    scan_location_with_camera(page)  # scan 1 (its one tap starts the camera)
    wedge(page, container_label(live_server, "L-REC", "3"))  # scan 2: a bag of 3 kg
    expect(page.get_by_test_id("step-item")).to_have_attribute("data-done", "1")
    expect(page.get_by_test_id("qty")).to_have_value("3")  # from the label: nothing to type
    assert_quantity_beside_confirm(page)  # with the camera on, at 360×740
    page.get_by_test_id("confirm-move").tap()

    applied = outbox_items(page, "done")
    expect(applied).to_have_count(1, timeout=ANSWER_MS)
    expect(page.get_by_test_id("queue-count")).to_have_text("0")
    screenshot(page, "1-received")
    assert taps(page) == 2
    assert moves_of(live_server, "scan-worker", "receipt") == [("receipt", "3")]
    # The location keeps its code on screen once the server has named it (continuous mode).
    expect(page.get_by_test_id("location-value")).to_have_text("A-01")
    context.close()


def test_an_issue_takes_two_scans_and_three_taps_with_the_quantity_in_view(
    camera_browser: Browser, live_server, world
):
    built, _label = world
    live_server.add_user("scan-issuer", ["warehouse"])
    with live_server.app.app_context():
        put_stock(built.loc_a, "50", lot="L-ISS")
    context = phone_at(camera_browser, live_server, centre(YARD_A))
    count_taps(context)
    page = context.new_page()
    sign_in(page, "scan-issuer")
    page.goto("/scan")
    expect(page.get_by_test_id("gps")).to_have_attribute("data-state", "good")
    page.get_by_text(re.compile("^(Issue|出库)$")).tap()
    scan_location_with_camera(page)  # scan 1 (its one tap starts the camera)
    wedge(page, container_label(live_server, "L-ISS", "25"))  # scan 2: the bag going to the machine
    expect(page.get_by_test_id("step-item")).to_have_attribute("data-done", "1")
    assert_quantity_beside_confirm(page)
    expect(page.get_by_test_id("qty")).to_have_value("25")
    page.get_by_test_id("confirm-move").tap()
    expect(outbox_items(page, "done")).to_have_count(1, timeout=ANSWER_MS)
    assert taps(page) == 3
    assert moves_of(live_server, "scan-issuer", "issue") == [("issue", "-25")]
    context.close()


def test_location_read_by_the_camera_outside_the_fence_shows_the_refusal(
    camera_browser: Browser, live_server, world, screenshot
):
    context = phone_at(camera_browser, live_server, outside(YARD_A, metres_west=400))
    page = context.new_page()
    sign_in(page, "scan-worker")
    page.goto("/scan")
    page.get_by_text(re.compile("^(Issue|出库)$")).tap()
    scan_location_with_camera(page)
    wedge(page, sku_label(live_server))
    page.get_by_test_id("qty").fill("1")
    page.get_by_test_id("confirm-move").tap()

    refused = outbox_items(page, "refused")
    expect(refused).to_have_count(1, timeout=ANSWER_MS)
    # The server's words in the phone's language (English while the zh_CN catalogue fails to load).
    expect(refused).to_contain_text(OUTSIDE)
    expect(page.get_by_test_id("scan-message")).to_contain_text(OUTSIDE)
    screenshot(page, "1-refused")
    assert moves_of(live_server, "scan-worker", "issue") == []

    page.reload()  # it stays, over a reload too, until the worker dismisses it
    expect(refused).to_have_count(1)
    refused.get_by_role("button").tap()
    expect(refused).to_have_count(0)
    context.close()


def test_five_scans_queued_offline_survive_a_reload_and_apply_exactly_once(
    browser: Browser, live_server, world, screenshot
):
    _built, location_label = world
    state = signed_in_state(browser, live_server, "scan-worker")
    context = phone_at(browser, live_server, centre(YARD_A), storage_state=state)
    page = context.new_page()
    page.goto("/scan")  # the first page this phone opens: the worker installs while it is open...
    eventually(page, "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)", 60)
    # ...and, asked by the page, keeps a copy of it for offline use.
    eventually(page, "caches.match('/scan', {ignoreVary: true}).then((hit) => hit !== undefined)", 60)
    before = moves_of(live_server, "scan-worker", "receipt")

    context.set_offline(True)
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    wedge(page, location_label)
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1")
    for qty in ("1", "2", "3", "4", "5"):
        wedge(page, sku_label(live_server))
        page.get_by_test_id("qty").fill(qty)
        page.get_by_test_id("confirm-move").tap()
        expect(page.get_by_test_id("step-item")).not_to_have_attribute("data-done", "1")
    expect(page.get_by_test_id("queue-count")).to_have_text("5")

    page.reload()  # offline: the page comes from the worker's copy, the queue from IndexedDB
    expect(page.locator("body")).to_have_attribute("data-offline-copy", "")
    expect(page.get_by_test_id("queue-count")).to_have_text("5")
    expect(page.get_by_test_id("queue-chip")).to_contain_text("5")
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1")  # still there
    screenshot(page, "1-offline-queue")
    assert moves_of(live_server, "scan-worker", "receipt") == before

    context.set_offline(False)
    expect(page.get_by_test_id("queue-count")).to_have_text("0", timeout=20_000)
    expect(outbox_items(page, "done")).to_have_count(5, timeout=ANSWER_MS)
    screenshot(page, "2-sent")
    page.reload()  # opening the app again sends nothing twice
    expect(page.get_by_test_id("queue-count")).to_have_text("0")
    page.wait_for_timeout(500)
    added = moves_of(live_server, "scan-worker", "receipt")[len(before) :]
    assert sorted(qty for _kind, qty in added) == ["1", "2", "3", "4", "5"]
    context.close()


def transferred_bytes(page: Page) -> int:
    """What the page itself downloaded (Resource Timing's transferSize: headers and body, 0 if cached)."""
    return page.evaluate(
        """performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
             .reduce((sum, entry) => sum + entry.transferSize, 0)"""
    )


def precache_bytes(page: Page) -> tuple[int, list[str]]:
    """What the service worker downloads when it installs: every URL of its precache list."""
    return tuple(
        page.evaluate(
            """async () => {
                 const text = await (await fetch('/sw.js', {cache: 'no-store'})).text();
                 const first = text.split('\\n', 1)[0];
                 const shell = JSON.parse(first.replace(/^self\\.SHELL = /, '').replace(/;$/, ''));
                 let total = 0;
                 for (const url of shell.precache) {
                   total += (await (await fetch(url, {cache: 'no-store'})).arrayBuffer()).byteLength;
                 }
                 return [total, shell.precache];
               }"""
        )
    )


def signed_in_state(browser: Browser, live_server: LiveServer, username: str) -> dict:
    """Cookies of a signed-in session, for a second phone that has never loaded anything."""
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    sign_in(page, username)
    state = context.storage_state()
    context.close()
    return state


def test_scan_page_first_load_is_light_installable_and_the_reader_loads_only_with_the_camera(
    camera_browser: Browser, live_server, world
):
    state = signed_in_state(camera_browser, live_server, "scan-worker")
    context = phone_at(camera_browser, live_server, centre(YARD_A), storage_state=state)
    requested: list[str] = []  # by the page itself: the worker saving the reader for later is not counted
    context.on("request", lambda r: requested.append(r.url) if r.service_worker is None else None)
    page = context.new_page()
    page.goto("/scan")
    page.wait_for_load_state("networkidle")
    first_load = transferred_bytes(page)
    native = page.evaluate("'BarcodeDetector' in window")
    print(f"/scan first load: {first_load} bytes; native BarcodeDetector: {native}")
    assert 0 < first_load < MAX_FIRST_LOAD
    assert not any(WASM in url or "barcode-detector" in url for url in requested)

    devtools = context.new_cdp_session(page)
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    installability = devtools.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in installability if e["errorId"] != "in-incognito"] == []
    eventually(page, "navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    installed, precached = precache_bytes(page)
    print(f"service worker install: {installed} bytes in {len(precached)} files")
    assert not any(WASM in url or "/vendor/" in url for url in precached)
    # Lighthouse weighs the page's own requests (asserted above). The worker's install runs alongside
    # on a first visit and grows with every screen's CSS and JS; it is printed, not asserted.

    scan_location_with_camera(page)
    wasm_loaded = any(WASM in url for url in requested)
    assert wasm_loaded is not native  # the WebAssembly reader comes only where the browser has none
    context.close()


TORCH = """
const original = MediaStreamTrack.prototype.getCapabilities;
window.torchCalls = [];
MediaStreamTrack.prototype.getCapabilities = function () {
  return { ...(original ? original.call(this) : {}), torch: true }; // a phone's rear camera with a light
};
MediaStreamTrack.prototype.applyConstraints = async function (constraints) {
  window.torchCalls.push(constraints.advanced[0].torch);
};
"""


def test_camera_remembers_its_lens_reopens_by_itself_and_switches_the_light(
    camera_browser: Browser, live_server, world
):
    context = phone_at(camera_browser, live_server, centre(YARD_A))
    context.add_init_script(TORCH)
    page = context.new_page()
    sign_in(page, "scan-worker")
    page.goto("/scan")
    scan_location_with_camera(page)
    lens = page.evaluate("localStorage.getItem('oh.scanner.lens')")
    in_use = page.evaluate(
        "document.querySelector('video').srcObject.getVideoTracks()[0].getSettings().deviceId"
    )
    assert lens and lens == in_use

    page.get_by_test_id("torch").tap()
    expect(page.get_by_test_id("torch")).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("torch").tap()
    expect(page.get_by_test_id("torch")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.torchCalls") == [True, False]

    page.reload()  # the camera was on and is allowed: it opens again without a tap, on the same lens
    expect(page.get_by_test_id("camera")).to_have_attribute("data-state", "on")
    assert page.evaluate("localStorage.getItem('oh.scanner.lens')") == lens
    context.close()


NATIVE_DETECTOR = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code", "code_128"]; }
  constructor(options) { this.formats = options.formats; }
  async detect(video) { return video.videoWidth ? [{ rawValue: %s, format: "qr_code" }] : []; }
};
"""


def test_phone_with_a_native_barcode_detector_never_downloads_the_wasm_reader(
    camera_browser: Browser, live_server, world
):
    """Chrome on Android has BarcodeDetector; here a stand-in reads the label the camera films."""
    _built, location_label = world
    context = phone_at(camera_browser, live_server, centre(YARD_A))
    context.add_init_script(NATIVE_DETECTOR % json.dumps(location_label))
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    sign_in(page, "scan-worker")
    page.goto("/scan")
    scan_location_with_camera(page)
    page.wait_for_load_state("networkidle")
    assert not any(WASM in url or "barcode-detector" in url for url in requested)
    context.close()


def scan_item_at_location_a(
    page: Page, live_server: LiveServer, location_label: str, qty: str, item: str | None = None
) -> None:
    page.goto("/scan")
    expect(page.get_by_test_id("gps")).to_have_attribute("data-state", "good")
    wedge(page, location_label)
    wedge(page, item or sku_label(live_server))
    page.get_by_test_id("qty").fill(qty)


def test_a_scan_whose_answer_was_lost_is_sent_again_and_applied_once(browser: Browser, live_server, world):
    _built, location_label = world
    live_server.add_user("scan-lost", ["warehouse"])
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "scan-lost")
    scan_item_at_location_a(page, live_server, location_label, "7")
    answered: list[int] = []

    def lose_the_answer(route):
        answered.append(route.fetch().status)  # the server applies the move...
        route.abort("connectionreset")  # ...and the phone never hears back

    page.route("**/api/v1/stock/moves", lose_the_answer, times=1)
    page.get_by_test_id("confirm-move").tap()
    deadline = time.monotonic() + 20
    while not answered and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert answered == [201], page.get_by_test_id("scan-message").text_content()
    page.wait_for_timeout(300)
    expect(outbox_items(page, "queued")).to_have_count(1, timeout=ANSWER_MS)
    assert moves_of(live_server, "scan-lost", "receipt") == [("receipt", "7")]

    page.reload()  # opening the app sends the queue: same key, so the server answers with the first result
    expect(outbox_items(page, "done")).to_have_count(1, timeout=ANSWER_MS)
    expect(page.get_by_test_id("queue-count")).to_have_text("0")
    assert moves_of(live_server, "scan-lost", "receipt") == [("receipt", "7")]
    context.close()


def test_a_scan_answered_busy_is_retried_with_the_same_key(browser: Browser, live_server, world):
    _built, location_label = world
    live_server.add_user("scan-busy", ["warehouse"])
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "scan-busy")
    lot_label = label_url(live_server.url, "lot", SKU, "L-2611/01")
    scan_item_at_location_a(page, live_server, location_label, "2", item=lot_label)
    expect(page.get_by_test_id("item-value")).to_have_text(f"{SKU} · L-2611/01")
    keys: list[str] = []
    page.on(
        "request",
        lambda request: (
            keys.append(request.headers["idempotency-key"])
            if request.url.endswith("/api/v1/stock/moves") and request.method == "POST"
            else None
        ),
    )
    busy = {"error": {"code": "idempotency_in_progress", "message": "busy", "fields": {}}}
    page.route("**/api/v1/stock/moves", lambda route: route.fulfill(status=409, json=busy), times=1)
    page.get_by_test_id("confirm-move").tap()

    expect(outbox_items(page, "done")).to_have_count(1, timeout=20_000)
    assert len(keys) == 2 and keys[0] == keys[1]
    assert moves_of(live_server, "scan-busy", "receipt") == [("receipt", "2")]
    with live_server.app.app_context():
        lots = db.session.execute(select(StockMove.lot).where(StockMove.user_id == find_user("scan-busy").id))
        assert lots.scalars().all() == ["L-2611/01"]
    context.close()


def test_transfer_picked_by_scanning_the_source_location(browser: Browser, live_server, world):
    from domain.stock.transfer_service import TransferRequest, request_transfer
    from domain.stock.transfers import Transfer
    from tests.integration.stock_world import ORDER, put_stock

    built, location_label = world
    live_server.add_user("scan-picker", ["warehouse"])
    with live_server.app.app_context():
        put_stock(built.loc_a, "40")
        ask = TransferRequest(
            order_ref=ORDER, sku=SKU, qty=Decimal(12), from_warehouse="WH-A", to_warehouse="WH-B"
        )
        transfer = request_transfer(ask, find_user("scan-picker"))
        transfer_id, number = transfer.id, transfer.number
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "scan-picker")
    page.goto(f"/scan?loc={quote(location_label.rsplit('/', 1)[1])}")  # as from the location's own page
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1")
    page.get_by_text(re.compile("^(Transfer pick|调拨拣货)$")).tap()
    wedge(page, sku_label(live_server))  # the item narrows the list to its transfer
    expect(page.get_by_test_id("item-value")).to_contain_text(number)
    expect(page.get_by_test_id("qty")).to_have_value("12")
    page.get_by_test_id("qty").fill("10")  # counted on the shelf
    page.get_by_test_id("confirm-move").tap()

    expect(outbox_items(page, "done")).to_have_count(1, timeout=ANSWER_MS)
    with live_server.app.app_context():
        picked = db.session.get(Transfer, transfer_id)
        assert (picked.state, picked.picked_qty) == ("picked", Decimal(10))
    context.close()


def test_a_person_typing_is_not_taken_for_a_hand_scanner(browser: Browser, live_server, world):
    _built, location_label = world
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "scan-worker")
    page.goto("/scan")
    wedge(page, location_label, gap_ms=180)  # a person's pace, not a scanner's
    expect(page.get_by_test_id("step-location")).not_to_have_attribute("data-done", "1")
    wedge(page, location_label)
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1")
    page.get_by_test_id("qty").focus()
    wedge(page, sku_label(live_server))  # read while the quantity field has the focus
    expect(page.get_by_test_id("step-item")).to_have_attribute("data-done", "1")
    expect(page.get_by_test_id("qty")).to_have_value("")  # no keys typed into it (a weighed item: empty)
    context.close()


def test_service_technician_scanning_a_label_opens_the_page_it_names(browser: Browser, live_server, world):
    live_server.add_user("scan-service", ["service"])
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "scan-service")
    page.goto("/scan")
    expect(page.get_by_test_id("scanner")).to_have_attribute("data-mode", "open")
    expect(page.get_by_test_id("confirm-move")).to_have_count(0)
    wedge(page, label_url(live_server.url, "sn", "SN 0001/A"))
    # /s/sn/<serial> (blueprints/service.py) leads on to the serial's own page.
    expect(page.get_by_role("heading", name="SN 0001/A")).to_be_visible(timeout=ANSWER_MS)
    assert "/scan" not in page.url
    context.close()


def test_a_photo_of_the_label_decoded_on_the_server_sets_the_location(browser: Browser, live_server, world):
    if "/api/v1/scan/decode" not in {rule.rule for rule in live_server.app.url_map.iter_rules()}:
        pytest.skip("POST /api/v1/scan/decode is not registered yet (blueprints/api/scan.py)")
    _built, location_label = world
    photo = io.BytesIO()
    qrcode.make(location_label, border=4).save(photo, format="PNG")
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "scan-worker")
    page.goto("/scan")
    page.locator('[data-action="photo"]').set_input_files(
        {"name": "label.png", "mimeType": "image/png", "buffer": photo.getvalue()}
    )
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1", timeout=ANSWER_MS)

    page.locator('[data-action="photo"]').set_input_files(
        {"name": "note.png", "mimeType": "image/png", "buffer": blank_png()}
    )
    expect(page.get_by_test_id("scan-message")).to_have_attribute("data-tone", "error", timeout=ANSWER_MS)
    context.close()


def blank_png() -> bytes:
    picture = io.BytesIO()
    Image.new("L", (320, 240), 255).save(picture, format="PNG")
    return picture.getvalue()


LABEL_TEXTS = [
    "{base}/s/sku/PP-H1200",
    "{base}/s/lot/RM%2FPP-01/L240115-A",
    "{base}/s/lot/PP-H1200",  # a lot label without its lot
    "{base}/s/wo/WO-20260112-0003/",
    "{base}/s/sn/SN000123?utm=x#top",
    "/s/sku/PP-H1200",
    "https://elsewhere.example.com/s/sku/PP-H1200",
    "6901234567892",
    "https://www.example.com/product/1",
    "{base}/s/xx/1",
]


def test_the_phone_reads_labels_as_the_server_does(phone: BrowserContext, live_server):
    """pwa/js/scan_labels.js against scanning/labels.py, for every kind but loc (whose signature only
    the server can check): same kind and ids, same damaged and foreign codes."""
    page = phone.new_page()
    page.goto("/login")
    bases = [live_server.url + "/"]
    for template in LABEL_TEXTS:
        text = template.format(base=live_server.url)
        try:
            label = read_label(text, derive_key("k"), tuple(bases))
            server = None if label is None else {"kind": label.kind, "ids": list(label.ids.values())}
        except LabelRefused:
            server = {"kind": "invalid"}
        phone_side = page.evaluate(
            """async ([text, bases]) => {
                 const { readLabel } = await import('/pwa/js/scan_labels.js');
                 const label = readLabel(text, bases);
                 if (label === null || label.kind === 'invalid') return label;
                 return { kind: label.kind, ids: label.segments };
               }""",
            [text, bases],
        )
        assert phone_side == server, text


def test_a_location_label_opened_by_the_phone_camera_starts_the_scanner_there(
    browser: Browser, live_server, world
):
    """A plain camera app opens the label's URL; for a warehouse worker /s/loc/<token>
    (blueprints/label_links.py) leads on to /scan?loc=<label>."""
    _built, location_label = world
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "scan-worker")
    page.goto(location_label)
    expect(page).to_have_url(re.compile(r"/scan\?loc="))
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1")
    context.close()


def test_a_scan_sent_with_an_expired_form_token_fetches_a_fresh_one_and_goes_through(
    browser: Browser, live_server, world
):
    """A page opened from the worker's copy after a long offline shift carries an old CSRF token."""
    _built, location_label = world
    live_server.add_user("scan-late", ["warehouse"])
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "scan-late")
    scan_item_at_location_a(page, live_server, location_label, "4")
    answers: list[int] = []
    page.on("response", lambda r: answers.append(r.status) if r.url.endswith("/stock/moves") else None)
    config = live_server.app.config
    previous = config.get("WTF_CSRF_TIME_LIMIT", 3600)
    config["WTF_CSRF_TIME_LIMIT"] = 3
    try:
        page.wait_for_timeout(4_000)  # the page's token is now too old
        page.get_by_test_id("confirm-move").tap()
        expect(outbox_items(page, "done")).to_have_count(1, timeout=ANSWER_MS)
    finally:
        config["WTF_CSRF_TIME_LIMIT"] = previous
    assert answers == [400, 201]
    assert moves_of(live_server, "scan-late", "receipt") == [("receipt", "4")]
    context.close()
