"""CSRF: forms and cookie-session API calls must carry the page's token; bearer-token API calls,
which carry no ambient credential, need none."""

import re

import pytest

from tests.conftest import make_user

pytestmark = pytest.mark.config(WTF_CSRF_ENABLED=True)
ENGLISH = {"Accept-Language": "en"}
EXPIRED = "The form expired; please reload the page and try again."


def page_token(client, path: str = "/login") -> str:
    """The token a browser would find in the page's <meta name="csrf-token">."""
    page = client.get(path, headers=ENGLISH).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def sign_in(client, username: str) -> None:
    token = page_token(client)
    response = client.post("/login", data={"username": username, "password": "demo", "csrf_token": token})
    assert response.status_code == 302


def assert_readable_refusal(response) -> None:
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f'<p class="error-message">{EXPIRED}</p>' in page


def test_login_form_without_token_is_refused_with_a_readable_page(client):
    make_user("sales", ["sales"])
    response = client.post("/login", data={"username": "sales", "password": "demo"}, headers=ENGLISH)
    assert_readable_refusal(response)
    assert client.get("/").status_code == 302  # not signed in


def test_login_form_with_the_page_token_signs_in(client):
    make_user("sales", ["sales"])
    sign_in(client, "sales")
    assert client.get("/").status_code == 200


def test_logout_without_token_is_refused_and_keeps_the_session(client):
    make_user("qc", ["qc"])
    sign_in(client, "qc")
    assert_readable_refusal(client.post("/logout", headers=ENGLISH))
    assert client.get("/").status_code == 200


def test_language_switch_without_token_is_refused_and_changes_nothing(client):
    assert_readable_refusal(client.post("/language/en", headers={"Accept-Language": "en"}))
    page = client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="zh-CN">' in page


def new_customer(client, code: str, headers: dict[str, str] | None = None):
    return client.post(
        "/api/v1/customers", json={"code": code, "name": f"客户 {code}"}, headers=headers or {}
    )


def test_cookie_session_api_post_without_header_token_is_refused(client):
    make_user("admin", ["admin"])
    sign_in(client, "admin")
    response = new_customer(client, "C-CSRF")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"
    assert set(response.json["error"]) >= {"code", "message", "fields"}
    assert client.get("/api/v1/customers/1").status_code == 404  # nothing was created


def test_cookie_session_api_post_with_header_token_goes_through(client):
    make_user("admin", ["admin"])
    sign_in(client, "admin")
    response = new_customer(client, "C-PWA", {"X-CSRFToken": page_token(client, "/")})
    assert response.status_code == 201
    assert response.json["code"] == "C-PWA"


def test_bearer_token_api_post_needs_no_csrf_token(client):
    make_user("admin", ["admin"])
    issued = client.post("/api/v1/auth/token", json={"username": "admin", "password": "demo"})
    assert issued.status_code == 200
    response = new_customer(client, "C-APP", {"Authorization": f"Bearer {issued.json['token']}"})
    assert response.status_code == 201
    assert response.json["code"] == "C-APP"
