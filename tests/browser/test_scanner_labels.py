"""Location labels on the phone: the printed code shows at once (offline too, marked not yet verified),
the server confirms it when it can, and a hand-made label is refused at the scan, not at Confirm."""

import re

import pytest
from playwright.sync_api import Browser, expect

from scanning.label_signing import current_key, location_label_url
from tests.browser.scanner_phone import outbox_items, phone_at, sign_in, wedge
from tests.integration.stock_world import YARD_A, centre

pytestmark = pytest.mark.browser


def printed_label(live_server, location_id: int, code: str) -> str:
    with live_server.app.app_context():
        return location_label_url(live_server.url, current_key(), location_id, code)


def test_a_location_label_shows_its_printed_code_offline_as_not_yet_verified(
    browser: Browser, live_server, world
):
    built, _label = world
    live_server.add_user("label-offline", ["warehouse"])
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "label-offline")
    page.goto("/scan")
    expect(page.get_by_test_id("gps")).to_have_attribute("data-state", "good")
    context.set_offline(True)
    wedge(page, printed_label(live_server, built.loc_a2, "A-02"))
    value = page.get_by_test_id("location-value")
    expect(value).to_have_text(re.compile(r"^A-02.*(未验证|not yet verified)"))
    expect(page.get_by_test_id("step-location")).not_to_have_attribute("data-verified", "1")
    context.set_offline(False)
    context.close()


def test_online_the_server_confirms_the_printed_code_at_the_scan(browser: Browser, live_server, world):
    built, _label = world
    live_server.add_user("label-online", ["warehouse"])
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "label-online")
    page.goto("/scan")
    wedge(page, printed_label(live_server, built.loc_a2, "A-02"))
    expect(page.get_by_test_id("step-location")).to_have_attribute("data-verified", "1")
    expect(page.get_by_test_id("location-value")).to_have_text("A-02")
    context.close()


def test_a_hand_made_location_label_is_refused_at_the_scan(browser: Browser, live_server, world):
    built, _label = world
    live_server.add_user("label-forger", ["warehouse"])
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "label-forger")
    page.goto("/scan")
    forged = f"{live_server.url}/s/loc/{built.loc_a2}.AAAAAAAAAAA?c=A-02"
    wedge(page, forged)
    message = page.get_by_test_id("scan-message")
    expect(message).to_have_attribute("data-tone", "error")
    expect(message).to_contain_text(re.compile("库位标签|location label"))
    expect(page.get_by_test_id("step-location")).not_to_have_attribute("data-done", "1")
    expect(outbox_items(page, "queued")).to_have_count(0)
    context.close()
