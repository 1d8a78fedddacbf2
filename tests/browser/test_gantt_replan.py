"""The planning Gantt on a phone in Chinese: the time axis speaks Chinese, the label column leaves room
for the bars, and a planner previews and applies a rush insertion — the orders the preview lists as
delayed are exactly the ones that finish later once it is applied."""

import re

import pytest
from playwright.sync_api import BrowserContext, expect

from domain.production.models import WorkOrder
from extensions import db
from tests.browser.test_gantt_drag import sign_in
from tests.integration.gantt_world import build_rush_plan

pytestmark = pytest.mark.browser


def finishes(live_server, work_order_ids: list[int]) -> dict[str, object]:
    with live_server.app.app_context():
        rows = db.session.scalars(db.select(WorkOrder).where(WorkOrder.id.in_(work_order_ids)))
        return {wo.order.number: max(op.planned_end for op in wo.operations) for wo in rows}


def test_planner_previews_and_applies_a_rush_insertion_on_a_chinese_phone(
    phone: BrowserContext, live_server, screenshot
):
    with live_server.app.app_context():
        plan = build_rush_plan("BR")
        rush_id = plan.rush.id
        ids = [plan.started.id, *(wo.id for wo in plan.queue), plan.rush.id]
    live_server.add_user("replan-planner", ["planner"])
    page = phone.new_page()
    sign_in(page, "replan-planner")
    page.goto("/planning/gantt")

    major = page.locator(".vis-time-axis .vis-text.vis-major:not(.vis-measure)").first
    expect(major).to_have_text(re.compile(r"\d{4}年\d{1,2}月"))  # e.g. 2026年12月, not "грудень 2026"
    assert not re.search("[а-яА-Яі]", page.locator(".vis-time-axis").first.inner_text())
    labels = page.locator(".vis-panel.vis-left").first
    expect(labels).to_be_visible()
    assert labels.bounding_box()["width"] < 0.35 * 360  # the bars get most of the phone's width
    red_borders = (
        "() => [...document.querySelectorAll('.vis-label')]"
        ".filter((e) => getComputedStyle(e).borderTopColor === 'rgb(255, 0, 0)').length"
    )
    debug = page.evaluate(red_borders)
    assert debug == 0

    before = finishes(live_server, ids)
    page.get_by_test_id(f"rush-preview-{rush_id}").click()
    preview = page.get_by_test_id("plan-preview")
    expect(preview).to_be_visible()
    delayed = page.get_by_test_id("delayed-order")
    expect(delayed.first).to_be_visible()
    listed = {delayed.nth(i).get_attribute("data-number") for i in range(delayed.count())}
    screenshot(page, "rush-preview")
    assert finishes(live_server, ids) == before  # a preview changes nothing

    page.get_by_test_id("plan-apply").click()
    expect(page.get_by_test_id("gantt-message")).to_contain_text("已应用")
    after = finishes(live_server, ids)
    later = {number for number in after if after[number] > before[number]}
    assert later == listed and listed  # exactly the orders the preview named were delayed
    rush_number = next(n for n in after if n.endswith("-4"))
    assert after[rush_number] < before[rush_number]
    page.get_by_test_id("plan-apply").click()  # the same preview again: nothing moves
    expect(page.get_by_test_id("gantt-message")).to_contain_text("已应用：0")
    assert finishes(live_server, ids) == after
    screenshot(page, "rush-applied")
