"""DESIGN §12: every 4xx (and the rare 5xx) from the API is {"error": {"code", "message", "fields"}},
and nothing of the server's insides (tracebacks, exception text) ever reaches the client."""

import pytest

from blueprints.access import public
from domain.roles import ALL_ROLES
from tests.conftest import make_user
from tests.integration.route_walk import routes

TOKEN = "/api/v1/auth/token"


def error_of(response, status: int) -> dict:
    """The §12 error body of `response`, after checking its status and shape."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    return error


@pytest.fixture
def everyone_headers(client) -> dict[str, str]:
    """Bearer headers of a user holding every role, so no refusal hides the error under test."""
    make_user("all-roles", list(ALL_ROLES))
    token = client.post(TOKEN, json={"username": "all-roles", "password": "demo"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_invalid_json_syntax_is_a_400_invalid_json(client):
    response = client.post(TOKEN, data='{"username": "a",', content_type="application/json")
    assert error_of(response, 400)["code"] == "invalid_json"


def test_body_sent_as_form_is_not_read_as_json(client):
    response = client.post(TOKEN, data={"username": "a", "password": "b"})
    error = error_of(response, 422)
    assert set(error["fields"]) == {"username", "password"}


def test_body_that_is_not_an_object_is_refused(client):
    error = error_of(client.post(TOKEN, json=["a", "b"]), 422)
    assert error["code"] == "validation_error"
    assert error["fields"]


def test_missing_fields_are_named(client):
    error = error_of(client.post(TOKEN, json={}), 422)
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"username", "password"}
    assert all(isinstance(text, str) and text for text in error["fields"].values())


def test_wrong_types_are_named(client):
    error = error_of(client.post(TOKEN, json={"username": 5, "password": ["x"]}), 422)
    assert set(error["fields"]) == {"username", "password"}


def test_unknown_fields_are_named(client):
    error = error_of(client.post(TOKEN, json={"username": "a", "password": "b", "admin": True}), 422)
    assert set(error["fields"]) == {"admin"}


def test_unknown_ids_are_404_everywhere_in_the_api(app, client, everyone_headers):
    by_id = [r for r in routes(app) if r.is_api and r.method == "GET" and r.has_id]
    wrong = []
    for route in by_id:
        response = client.get(route.url, headers=everyone_headers)
        body = response.get_json(silent=True) or {}
        if response.status_code != 404 or set(body.get("error", {})) < {"code", "message", "fields"}:
            wrong.append(f"{route}: {response.status_code} {response.get_data(as_text=True)[:200]}")
    assert wrong == [], "\n".join(wrong)


def test_the_signed_in_users_own_record_needs_a_token(client):
    assert error_of(client.get("/api/v1/auth/me"), 401)["code"] == "unauthorized"
    bad = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer forged"})
    assert error_of(bad, 401)["code"] == "unauthorized"


def test_wrong_role_is_a_403_forbidden(app, client, auth):
    admin_only = next(r for r in routes(app) if r.is_api and r.roles == frozenset({"admin"}))
    response = client.open(admin_only.url, method=admin_only.method, headers=auth.headers("sales"))
    assert error_of(response, 403)["code"] == "forbidden"


def test_unknown_api_path_is_a_404_in_the_api_shape(client):
    assert error_of(client.get("/api/v1/no-such-thing"), 404)["code"] == "not_found"


def test_wrong_method_is_a_405_naming_the_allowed_ones(client):
    response = client.delete(TOKEN)
    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


@pytest.mark.config(MAX_CONTENT_LENGTH=1024)
def test_oversized_body_is_a_413(client):
    response = client.post(TOKEN, json={"username": "a" * 2048, "password": "b"})
    assert error_of(response, 413)["code"] == "too_large"


@pytest.mark.config(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
def test_too_many_token_requests_are_a_429_with_retry_after(client):
    for _ in range(2):
        client.post(TOKEN, json={"username": "nobody", "password": "x"})
    response = client.post(TOKEN, json={"username": "nobody", "password": "x"})
    assert error_of(response, 429)["code"] == "too_many_requests"
    assert int(response.headers["Retry-After"]) > 0


def add_failing_routes(app) -> None:
    """Routes that fail the way a bug would, registered before the app's first request."""

    @public
    def explode():
        raise RuntimeError("secret-detail: password=hunter2 at /srv/app/domain/orders/models.py")

    app.add_url_rule("/api/v1/test-explode", "test_explode_api", explode)
    app.add_url_rule("/test-explode", "test_explode_page", explode)


def test_unexpected_api_error_is_a_500_without_insides(app, client):
    add_failing_routes(app)
    response = client.get("/api/v1/test-explode")
    error = error_of(response, 500)
    assert error["code"] == "internal_error"
    text = response.get_data(as_text=True)
    for leak in ("Traceback", "RuntimeError", "secret-detail", "hunter2", ".py"):
        assert leak not in text


def test_unexpected_page_error_is_a_readable_500_page_without_insides(app, client):
    add_failing_routes(app)
    response = client.get("/test-explode")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "<html" in text
    for leak in ("Traceback", "RuntimeError", "secret-detail", "hunter2"):
        assert leak not in text
