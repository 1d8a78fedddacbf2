"""The camera offline the first time, on a browser without a built-in BarcodeDetector (iPhone Safari,
desktop Chromium): the code reader was saved when the worker signed in, so it reads a label offline
although the camera was never started online on this phone."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.fake_camera import write_label_clip
from tests.browser.scanner_phone import eventually, phone_at, sign_in
from tests.integration.stock_world import YARD_A, centre, label

pytestmark = pytest.mark.browser

READER_SAVED = """caches.keys().then(async (names) => {
  for (const name of names.filter((n) => n.startsWith('oh-shell-'))) {
    const cache = await caches.open(name);
    const found = await Promise.all(%s.map((f) => cache.match(f, { ignoreSearch: true })));
    if (found.every(Boolean)) return true;
  }
  return false;
})"""
FILES = [
    "/pwa/vendor/barcode-detector/ponyfill.js",
    "/pwa/vendor/barcode-detector/zxing-exported.js",
    "/pwa/vendor/zxing-wasm/zxing_reader.wasm",
]


@pytest.fixture(scope="module")
def camera_on_a2(playwright: Playwright, live_server, world, tmp_path_factory) -> Iterator[Browser]:
    """Chromium whose camera films the label of location A-02."""
    built, _label = world
    with live_server.app.app_context():
        text = label(built.loc_a2, live_server.url)
    video = write_label_clip(tmp_path_factory.mktemp("camera") / "a2.y4m", text)
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
    yield browser
    browser.close()


def test_the_camera_reads_a_label_offline_the_first_time_it_is_started(
    camera_on_a2: Browser, live_server, world
):
    live_server.add_user("reader-offline", ["warehouse"])
    context = phone_at(camera_on_a2, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "reader-offline")
    page.goto("/")
    if page.evaluate("'BarcodeDetector' in window"):
        pytest.skip("this Chromium has a built-in BarcodeDetector: no reader to save")
    eventually(page, READER_SAVED % FILES, timeout=30)  # saved at sign-in, before any camera use
    page.goto("/scan")
    eventually(page, "navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.get_by_test_id("camera-toggle").tap()
    expect(page.get_by_test_id("camera")).to_have_attribute("data-state", "on")
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-done", "1", timeout=20_000)
    expect(page.get_by_test_id("location-value")).to_contain_text("#")  # offline: not yet verified
    context.set_offline(False)
    context.close()
