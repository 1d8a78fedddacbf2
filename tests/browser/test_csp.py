"""The strict Content-Security-Policy holds in a real browser: on every page of every role's menu,
Chromium reports no CSP violation (no inline script, inline handler or inline style that the policy
blocks, no script or connection to another origin)."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser
ROLES = ["admin", "sales", "planner", "warehouse", "leader", "qc", "service", "cs", "vp"]
WATCH = """document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});"""


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("demo")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").tap()


def menu_links(page: Page) -> list[str]:
    hrefs = page.locator("a[href^='/']").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    return sorted({h for h in hrefs if not re.search(r"logout|/s/|\.(xlsx|csv|pdf|png)$", h)})


def test_no_csp_violation_on_any_main_page(phone: BrowserContext, live_server):
    phone.add_init_script(WATCH)
    problems: list[str] = []
    visited: set[str] = set()
    for role in ROLES:
        live_server.add_user(f"csp-{role}", [role])
        page = phone.new_page()
        page.on(
            "console",
            lambda m: (
                problems.append(f"{m.text}")
                if "Content Security Policy" in m.text or "Refused to" in m.text
                else None
            ),
        )
        page.goto("/login")
        problems.extend(page.evaluate("window.__cspViolations || []"))
        sign_in(page, f"csp-{role}")
        for href in menu_links(page)[:12]:
            page.goto(href)
            expect(page.locator("body")).to_be_visible()
            page.wait_for_load_state("networkidle")
            problems.extend(f"{href}: {v}" for v in page.evaluate("window.__cspViolations || []"))
            visited.add(href)
        page.close()
        phone.clear_cookies()
    print(f"\nCSP: {len(visited)} pages opened by {len(ROLES)} roles, {len(problems)} violations")
    assert len(visited) >= 10
    assert not problems, "\n".join(sorted(set(problems)))
