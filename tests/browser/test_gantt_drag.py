"""The planning Gantt in a real browser: a drag onto a machine slot that is already taken is refused by
the server, the bar goes back where it was, and the reason is shown; a drag into a free slot is saved."""

import pytest
from playwright.sync_api import Browser, Page, expect

from domain.production.models import Operation
from extensions import db
from tests.integration.gantt_world import at, build_plan

pytestmark = pytest.mark.browser

DESK = {"viewport": {"width": 1280, "height": 800}, "locale": "en-US"}


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").click()


def drag_by(page: Page, bar, dx: float) -> None:
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y, steps=5)
    page.mouse.move(x + dx, y, steps=5)
    page.mouse.up()


def test_gantt_drag_onto_an_occupied_machine_is_refused_and_reverted(
    browser: Browser, live_server, screenshot
):
    with live_server.app.app_context():
        plan = build_plan("GD")
        first_no, second_no, second_op = plan.first.number, plan.second.number, plan.second.operations[0].id
    live_server.add_user("gantt-planner", ["planner"])
    context = browser.new_context(base_url=live_server.url, **DESK)
    page = context.new_page()
    sign_in(page, "gantt-planner")
    page.goto("/planning/gantt")
    first = page.locator(".vis-item", has_text=first_no).first
    second = page.locator(".vis-item", has_text=second_no).first
    expect(second).to_be_visible()
    before = second.bounding_box()
    # the first order's bar starts at 00:00 and the second's at 06:00 on the same machine row
    hours = (before["x"] - first.bounding_box()["x"]) / 6
    drag_by(page, second, first.bounding_box()["x"] - before["x"])  # onto the first order's bar
    message = page.get_by_test_id("gantt-message")
    expect(message).to_contain_text("already busy")
    expect(message).to_contain_text(first_no)
    back = "([bar, x]) => Math.abs(bar.getBoundingClientRect().x - x) < 2"  # back where it was
    page.wait_for_function(back, arg=[second.element_handle(), before["x"]])
    screenshot(page, "refused")
    with live_server.app.app_context():
        assert db.session.get(Operation, second_op).planned_start == at(6)

    drag_by(page, second, 13 * hours)  # 06–10 → 19–23: free on that machine (the rush order ends at 14)
    expect(message).to_contain_text("Moved")
    with live_server.app.app_context():
        db.session.expire_all()
        moved = db.session.get(Operation, second_op)
        # a mouse drag is not pixel-exact: the chart's drag threshold eats a few pixels (1–3 hours at this
        # zoom, more on a busy machine), so: after the rush order, at most 13 hours later, snapped to a
        # quarter hour, still 4 hours long
        assert at(14) <= moved.planned_start <= at(19) and moved.planned_start.minute % 15 == 0
        assert moved.planned_end - moved.planned_start == at(4) - at(0)
    context.close()
