"""Every error, one place: DESIGN §12 JSON under /api, a readable page elsewhere, never a trace."""

from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from blueprints.access import is_api_request
from domain import transactions
from domain.errors import LEAF_REFUSALS, DomainError, from_leaf
from domain.validation_messages import flatten
from extensions import db

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
}
_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in first."),
    403: _l("Your role does not allow this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("This conflicts with the current state."),
    413: _l("The upload is too large."),
    415: _l("This content type is not supported."),
    422: _l("Some fields are not valid."),
    429: _l("Too many attempts; please wait a minute."),
    500: _l("Something went wrong on the server; nothing was saved."),
}


def _field_errors(error: HTTPException) -> dict[str, str]:
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if not messages:
        return {}
    if isinstance(messages, dict) and set(messages) <= {
        "json",
        "query",
        "form",
        "headers",
        "files",
        "view_args",
    }:
        messages = {
            k: v
            for loc in messages.values()
            for k, v in (loc.items() if isinstance(loc, dict) else [("_body", loc)])
        }
    return flatten(messages)


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    headers: Any = None,
    details: dict[str, Any] | None = None,
):
    if is_api_request() or request.accept_mimetypes.best == "application/json":
        body = {"error": {**(details or {}), "code": code, "message": message, "fields": fields or {}}}
        return jsonify(body), status, headers or {}
    page = render_template("errors/error.html", status=status, message=message, fields=fields or {})
    return page, status, headers or {}


def handle_http(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        return handle_unexpected(error)
    fields = _field_errors(error)
    if status == 400 and "_body" in fields and "JSON" in fields["_body"]:
        return error_response(400, "invalid_json", _("The request body is not valid JSON."), fields)
    message = str(_MESSAGES.get(status, error.description or error.name))
    headers = getattr(error, "data", {}).get("headers") if hasattr(error, "data") else None
    if status == 405:
        headers = {"Allow": ", ".join(error.valid_methods or [])}
    return error_response(status, _CODES.get(status, f"http_{status}"), message, fields, headers)


def refusal_response(error: DomainError):
    """A domain refusal's answer; also what an idempotent API call stores for its replay."""
    return error_response(error.status, error.code, error.message, error.fields, details=error.details)


def handle_domain(error: DomainError):
    transactions.discard()
    return refusal_response(error)


def handle_leaf(error: Exception):
    """A refusal of scanning/ or geofence/ that reached a view untranslated: the same answer."""
    return handle_domain(from_leaf(error))


def handle_csrf(error: CSRFError):
    return error_response(400, "csrf_failed", _("The form expired; please reload the page and try again."))


def handle_unexpected(error: Exception):
    transactions.discard()
    original = getattr(error, "original_exception", None) or error
    if isinstance(original, OperationalError):
        # The database is unreachable or restarting (or SQLite stayed locked past its busy timeout):
        # nothing was applied, and the same request with the same Idempotency-Key may be sent again.
        current_app.logger.warning(
            "database unavailable on %s %s: %s", request.method, request.path, original
        )
        return error_response(503, "database_unavailable", str(_MESSAGES[500]), headers={"Retry-After": "2"})
    if isinstance(original, OverflowError | DataError):
        # A number or text the column cannot hold (an id past the integer range, say): the
        # request's fault, refused like any invalid field, never a 500.
        return error_response(422, "validation_error", str(_MESSAGES[422]))
    if not isinstance(original, InternalServerError):
        current_app.logger.exception(
            "unhandled error on %s %s", request.method, request.path, exc_info=original
        )
    return error_response(500, "internal_error", str(_MESSAGES[500]))


def _forget_session(_exc: BaseException | None = None) -> None:
    """Ends the request's session before Flask-SQLAlchemy's own teardown does (teardowns run last
    registered first). When the database went away under the request, the closing ROLLBACK fails
    too; that must not turn an answer already made into the server's bare 500 page."""
    try:
        db.session.remove()
    except Exception:
        current_app.logger.warning("closing the session failed; connection dropped", exc_info=True)
        db.session.registry.clear()


def register(app: Flask) -> None:
    app.teardown_appcontext(_forget_session)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(DomainError, handle_domain)
    for leaf_error in LEAF_REFUSALS:
        app.register_error_handler(leaf_error, handle_leaf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
