"""Signing in and out, tokens, session cookies and the login rate limit."""

import pytest

from domain.audit import AuditLog
from extensions import db
from tests.conftest import make_user


def test_login_page_signs_in_and_shows_role_home(client, auth):
    response = auth.login("sales")
    assert response.status_code == 302
    assert response.location == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert b'data-role="sales"' in page.data


def test_wrong_password_is_refused_and_audited(client, app):
    make_user("planner", ["planner"])
    response = client.post("/login", data={"username": "planner", "password": "nope"})
    assert response.status_code == 401
    assert client.get("/").status_code == 302
    rows = db.session.execute(db.select(AuditLog).where(AuditLog.action == "login_failed")).scalars().all()
    assert [r.entity_id for r in rows] == ["planner"]


def test_inactive_user_cannot_sign_in(client):
    make_user("gone", ["sales"], active=False)
    assert client.post("/login", data={"username": "gone", "password": "demo"}).status_code == 401


def test_login_redirect_refuses_other_sites(client):
    make_user("qc", ["qc"])
    response = client.post("/login?next=//evil.example/x", data={"username": "qc", "password": "demo"})
    assert response.location == "/"


def test_logout_ends_the_session(client, auth):
    auth.login("qc")
    auth.logout()
    assert client.get("/").status_code == 302


def test_token_grants_api_access_and_bad_token_does_not(client, auth):
    headers = auth.headers("vp")
    me = client.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200
    assert me.json["roles"] == ["vp"]
    bad = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401
    assert bad.json["error"]["code"] == "unauthorized"


def test_token_refused_for_wrong_password(client):
    make_user("cs", ["cs"])
    response = client.post("/api/v1/auth/token", json={"username": "cs", "password": "x"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_credentials"


def test_session_cookie_is_httponly_and_samesite(client, auth):
    response = auth.login("warehouse")
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.config(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
def test_login_is_rate_limited(client):
    make_user("leader", ["leader"])
    codes = [
        client.post("/login", data={"username": "leader", "password": "bad"}).status_code for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    api = client.post("/api/v1/auth/token", json={"username": "leader", "password": "bad"})
    assert api.status_code in (401, 429)
