"""`@idempotent`: exactly-once for a state-changing API view, reused by every phone action.

Put it between `@blp.arguments(...)` and `@blp.response(...)`:

    @blp.route("/moves", methods=["POST"])
    @blp.arguments(MoveIn)
    @idempotent(on_refusal=log_refused_fix)
    @blp.response(201, MoveOut)
    @roles_required(WAREHOUSE)
    def post_move(body): ...

The view then runs once per `Idempotency-Key`, its outcome stored with it (domain/idempotency.py
`run_once` holds the logic; this side only reads the request and makes the responses). Invalid input
(schema errors) is answered before any of this and is not stored, so it can be corrected and resent
with the same key.
"""

from collections.abc import Callable
from copy import deepcopy
from functools import partial, wraps
from typing import Any

from flask import Response, jsonify, make_response, request
from flask_login import current_user

from blueprints.errors import refusal_response
from domain import idempotency
from domain.errors import DomainError

REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": True,
    "schema": {"type": "string", "maxLength": 100},
    "description": "A new random key (e.g. a UUID) per action; resend the same key to retry it. "
    "A replay returns the first response and applies nothing; the same key with a different body is "
    "422 idempotency_key_reused; a retry while the first is running is 409 idempotency_in_progress.",
}

RefusalHook = Callable[..., None]


def idempotent(on_refusal: RefusalHook | None = None) -> Callable:
    """`on_refusal(refusal, *view_args)` runs after a refusal was rolled back, in the transaction that
    stores it, to keep what must be kept anyway (e.g. the GPS fix of a refused scan)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            hook = None if on_refusal is None else lambda refusal: on_refusal(refusal, *args)
            action = partial(_run, view, args, kwargs)
            return idempotency.run_once(_attempt(), action, ANSWERS, hook)

        wrapper._apidoc = deepcopy(getattr(wrapper, "_apidoc", {}))  # as flask-smorest's own @doc does
        manual = wrapper._apidoc.setdefault("manual_doc", {})
        manual["parameters"] = [*manual.get("parameters", []), KEY_PARAMETER]
        return wrapper

    return decorate


def _attempt() -> idempotency.Attempt:
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    payload = request.get_json(silent=True)
    request_hash = idempotency.fingerprint(request.method, request.path, payload)
    return idempotency.Attempt(current_user, key, request_hash, payload, request.endpoint or "api")


def _run(view: Callable, args: tuple, kwargs: dict) -> Response:
    return make_response(view(*args, **kwargs))


def _refusal(refusal: DomainError) -> Response:
    return make_response(refusal_response(refusal))


def _replay(record: idempotency.Outcome) -> Response:
    response = jsonify(record.body)
    response.status_code = record.status
    response.headers[REPLAYED_HEADER] = "true"
    return response


ANSWERS = idempotency.Answers[Response](
    outcome=lambda response: (response.status_code, response.get_json()),
    refusal=_refusal,
    replay=_replay,
)
