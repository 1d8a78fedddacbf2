"""Every page the app serves renders with the strict CSP header, for a user holding every role; and no
template puts script or styling inline, where the policy would block it."""

import re
from pathlib import Path

from blueprints.security_headers import CSP
from domain.roles import ROLE_LABELS
from tests.conftest import make_user
from tests.integration.route_walk import routes

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>|\son[a-z]+=|\sstyle="
)


def test_every_page_renders_with_the_csp(app, client, auth):
    auth.login("admin", username="every-role")
    make_user("every-role", list(ROLE_LABELS))
    pages = [
        r
        for r in routes(app)
        if r.method == "GET" and not r.is_api and not r.rule.arguments and r.roles is not None
    ]
    failures = []
    for route in pages:
        response = client.get(route.url)
        if response.status_code >= 500 or response.headers.get("Content-Security-Policy") != CSP:
            failures.append((route.url, response.status_code))
    print(f"\n{len(pages)} pages rendered under the CSP")
    assert len(pages) > 10 and not failures, failures


def test_no_template_has_inline_script_handlers_or_styles():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE.finditer(path.read_text())
    ]
    assert not offenders, offenders
