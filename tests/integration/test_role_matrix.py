"""DESIGN §1 "every page and API endpoint checks the role", checked over every registered route:
each declares its roles, strangers are sent to sign in, other roles are refused, its roles get in."""

import pytest
from flask.testing import FlaskClient

from blueprints.access import _UNDECLARED, ANY_USER
from domain.roles import ALL_ROLES
from tests.conftest import AuthActions, FreshUserClient
from tests.integration.route_walk import Route, routes, send


class Staff:
    """One user per role, each with a bearer token (API) and a phone signed in through the form (pages)."""

    def __init__(self, app):
        app.test_client_class = FreshUserClient
        self._app = app
        self._token_client = app.test_client()
        self.headers = {role: AuthActions(self._token_client).headers(role) for role in ALL_ROLES}
        self._phones: dict[str, FlaskClient] = {}

    def phone(self, role: str) -> FlaskClient:
        """Signed in as `role`, signing in again if the last request (POST /logout) signed it out."""
        phone = self._phones.setdefault(role, self._app.test_client())
        with phone.session_transaction() as session:
            signed_in = "_user_id" in session
        if not signed_in:
            AuthActions(phone).login(role)
        return phone

    def request(self, route: Route, role: str):
        if route.is_api:
            return send(self._token_client, route, self.headers[role])
        return send(self.phone(role), route)


@pytest.fixture
def staff(app, client):
    return Staff(app)


def restricted(app) -> list[Route]:
    found = [r for r in routes(app) if r.roles is not None and r.roles is not _UNDECLARED]
    walked = {f"{r.method} {r.url}" for r in found}
    assert {"GET /api/v1/auth/me", "POST /logout", "GET /"} <= walked, (
        "the walk misses the foundation's routes"
    )
    return found


def refused(response) -> bool:
    sent_to_sign_in = response.status_code == 302 and response.location.startswith("/login?next=")
    return response.status_code in (401, 403) or sent_to_sign_in


def test_every_route_declares_who_may_use_it(app):
    undeclared = [str(r) for r in routes(app) if r.roles is _UNDECLARED]
    assert undeclared == [], "routes without @roles_required/@public:\n" + "\n".join(undeclared)


def test_api_refuses_anonymous_callers_with_401_error_body(app, client):
    wrong = []
    for route in (r for r in restricted(app) if r.is_api):
        response = send(client, route)
        body = response.get_json(silent=True) or {}
        error = body.get("error") or {}
        if response.status_code != 401 or set(error) < {"code", "message", "fields"}:
            wrong.append(f"{route}: {response.status_code} {body}")
    assert wrong == [], "\n".join(wrong)


def test_pages_send_anonymous_visitors_to_sign_in(app, client):
    wrong = []
    for route in (r for r in restricted(app) if not r.is_api):
        response = send(client, route)
        location = response.location or ""
        if response.status_code != 302 or not location.startswith("/login?next="):
            wrong.append(f"{route}: {response.status_code} → {location}")
    assert wrong == [], "\n".join(wrong)


def test_roles_outside_the_declared_set_are_refused_with_403(app, staff):
    wrong = []
    for route in (r for r in restricted(app) if r.roles is not ANY_USER):
        for role in (role for role in ALL_ROLES if role not in route.roles):
            response = staff.request(route, role)
            if response.status_code != 403:
                wrong.append(f"{route} as {role}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_declared_roles_are_let_through(app, staff):
    wrong = []
    for route in restricted(app):
        for role in ALL_ROLES if route.roles is ANY_USER else sorted(route.roles):
            response = staff.request(route, role)
            if refused(response):
                wrong.append(f"{route} as {role}: {response.status_code} {response.location or ''}")
    assert wrong == [], "\n".join(wrong)


def test_no_route_crashes_on_made_up_ids_or_empty_bodies(app, staff):
    crashed = []
    for route in restricted(app):
        role = "admin" if route.roles is ANY_USER or "admin" in route.roles else sorted(route.roles)[0]
        response = staff.request(route, role)
        if response.status_code >= 500:
            crashed.append(f"{route} as {role}: {response.status_code}")
    assert crashed == [], "\n".join(crashed)
