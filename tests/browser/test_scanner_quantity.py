"""The quantity field after a scan on the phone at 360×740: a container label fills it with the quantity
packed; a weighed item starts empty, and Confirm without a quantity names the field."""

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.scanner_phone import container_label, outbox_items, phone_at, sign_in, sku_label, wedge
from tests.integration.stock_world import YARD_A, centre

pytestmark = pytest.mark.browser


def test_a_weighed_item_starts_empty_and_confirm_names_the_quantity(browser: Browser, live_server, world):
    _built, location_label = world
    live_server.add_user("weigher", ["warehouse"])
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "weigher")
    page.goto("/scan")
    wedge(page, location_label)
    wedge(page, sku_label(live_server))  # resin, counted in kg
    expect(page.get_by_test_id("step-item")).to_have_attribute("data-done", "1")
    expect(page.get_by_test_id("qty")).to_have_value("")
    page.get_by_test_id("confirm-move").tap()
    expect(page.get_by_test_id("scan-message")).to_have_text(re.compile(r"^(数量|Quantity).*kg"))
    expect(page.get_by_test_id("qty")).to_have_attribute("aria-invalid", "true")
    expect(outbox_items(page, "queued")).to_have_count(0)

    wedge(page, container_label(live_server, "L-Q", "12.5"))  # a container label of the same resin
    expect(page.get_by_test_id("qty")).to_have_value("12.5")
    context.close()


def test_a_hand_written_quantity_on_a_container_label_is_taken_back_at_the_scan(
    browser: Browser, live_server, world
):
    _built, location_label = world
    live_server.add_user("weigher-2", ["warehouse"])
    context = phone_at(browser, live_server, centre(YARD_A))
    page = context.new_page()
    sign_in(page, "weigher-2")
    page.goto("/scan")
    wedge(page, location_label)
    forged = container_label(live_server, "L-F", "25").replace("?q=25.", "?q=250.")
    wedge(page, forged)
    expect(page.get_by_test_id("step-item")).to_have_attribute("data-done", "1")
    expect(page.get_by_test_id("qty")).to_have_value("")  # the server did not print 250
    expect(page.get_by_test_id("qty")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("scan-message")).to_have_attribute("data-tone", "error")
    context.close()
