"""OpenAPI: every error status an operation can answer is documented, each with DESIGN §12's body.

flask-smorest documents only what a view declares, and `alt_response(422, description=...)` without a
schema leaves the response bodiless, so a generated client returns None for every refusal. After all
blueprints are registered, `document(app, api)` walks the document once and adds, per operation, the
statuses our one error handler (blueprints/errors.py) and access rule (blueprints/access.py) can give:

- 400 when it takes a body (invalid JSON, an expired form token on a cookie session);
- 401 unless it is public, 403 when only some roles may call it;
- 404 when its path or body names a row, 409 when a signed-in user changes state (idempotency,
  stages);
- 422 when it takes any input, 429 where a rate limit applies, 503 always (database unavailable,
  retry with the same Idempotency-Key).

Statuses a view declared keep their description; each gains the error body.
"""

import re
from typing import Any

from flask import Flask
from flask_smorest import Api

from blueprints.access import ANY_USER, declared_roles

ERROR_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
ERROR_CONTENT = {"application/json": {"schema": ERROR_REF}}
DESCRIPTIONS = {
    "400": "The body is not valid JSON (invalid_json), or the form token expired (csrf_failed).",
    "401": "No valid bearer token or session (unauthorized).",
    "403": "The user's roles do not allow this (forbidden).",
    "404": "The row named in the path does not exist (not_found).",
    "409": "Conflicts with the current state, e.g. idempotency_in_progress or a stage already left.",
    "413": "The upload is too large.",
    "415": "The upload is not of a supported type.",
    "422": "A field is not valid or a rule refused it; error.code says which, error.fields where.",
    "429": "Too many attempts; wait and retry (too_many_requests).",
    "503": "The database is unavailable; nothing was applied. Retry after Retry-After seconds.",
}
_WRITES = {"post", "put", "patch", "delete"}
_RATE_LIMITED = {"api_auth.issue_token"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _endpoints(app: Flask) -> dict[tuple[str, str], str]:
    """(OpenAPI path, method) → Flask endpoint, for the API's rules."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in rule.methods or ():
                found[(_openapi_path(rule.rule), method.lower())] = rule.endpoint
    return found


def statuses_for(path: str, method: str, operation: dict[str, Any], roles: Any, endpoint: str) -> set[str]:
    """The error statuses an operation can answer, from its shape and its declared roles."""
    takes_body = "requestBody" in operation
    takes_input = takes_body or "{" in path or bool(operation.get("parameters"))
    statuses = {"503"}
    if roles is not None:
        statuses.add("401")
        if roles is not ANY_USER:
            statuses.add("403")
    if takes_body:
        statuses.add("400")
    if "{" in path or (takes_body and roles is not None):
        statuses.add("404")  # a row named in the path, or in the body (an order id, say)
    if method in _WRITES and roles is not None:
        statuses |= {"409", "422"}
    if takes_input:
        statuses.add("422")
    if endpoint in _RATE_LIMITED:
        statuses.add("429")
    return statuses


def _with_body(response: Any, status: str) -> dict[str, Any]:
    """A declared response keeps its description (or $ref to a documented error); a bare one gets
    the error body."""
    if not isinstance(response, dict) or "$ref" in response:
        return response
    return {**response, "description": response.get("description") or DESCRIPTIONS.get(status, "Error")} | {
        "content": ERROR_CONTENT
    }


def document(app: Flask, api: Api) -> None:
    """Call once, after every API blueprint is registered (the paths are in the spec by then)."""
    endpoints = _endpoints(app)
    for path, operations in api.spec._paths.items():
        for method, operation in operations.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            endpoint = endpoints.get((path, method), "")
            roles = declared_roles(app, endpoint, method.upper()) if endpoint else ANY_USER
            responses = operation.setdefault("responses", {})
            for status in statuses_for(path, method, operation, roles, endpoint) | {
                s for s in responses if s.startswith(("4", "5"))
            }:
                current = responses.get(status) or {"description": DESCRIPTIONS.get(status, "Error")}
                responses[status] = _with_body(current, status)
