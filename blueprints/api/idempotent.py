"""`@idempotent`: exactly-once for a state-changing API view, reused by every phone action.

Put it between `@blp.arguments(...)` and `@blp.response(...)`:

    @blp.route("/moves", methods=["POST"])
    @blp.arguments(MoveIn)
    @idempotent(on_refusal=log_refused_fix)
    @blp.response(201, MoveOut)
    @roles_required(WAREHOUSE)
    def post_move(body): ...

The view then runs inside one write transaction that also stores its outcome under the caller's
`Idempotency-Key` (see domain/idempotency.py). A domain refusal is an outcome too: the view's changes
are rolled back, and the refusal is audited and stored, so a replay gets the same refusal.
Invalid input (schema errors) is answered before any of this and is not stored, so it can be corrected
and resent with the same key.
"""

from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, jsonify, make_response, request
from flask_login import current_user

from domain import audit, idempotency
from domain.errors import DomainError
from domain.stock.refusal_places import refusal_warehouse
from domain.transactions import write_transaction

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
            key = idempotency.check_key(request.headers.get("Idempotency-Key"))
            user_id = current_user.id
            payload = request.get_json(silent=True)
            request_hash = idempotency.fingerprint(request.method, request.path, payload)
            with idempotency.claim(user_id, key):
                try:
                    with write_transaction():
                        if (stored := idempotency.lock_and_find(user_id, key)) is not None:
                            return _replay(idempotency.replayable(stored, request_hash))
                        response = _run(view, args, kwargs)
                        idempotency.remember(
                            user_id, key, request_hash, response.status_code, response.get_json()
                        )
                        return response
                except _Refused as refused:
                    attempt = _Attempt(user_id, key, request_hash, payload)
                    return _store_refusal(refused.refusal, attempt, on_refusal, args)

        wrapper._apidoc = deepcopy(getattr(wrapper, "_apidoc", {}))  # as flask-smorest's own @doc does
        manual = wrapper._apidoc.setdefault("manual_doc", {})
        manual["parameters"] = [*manual.get("parameters", []), KEY_PARAMETER]
        return wrapper

    return decorate


class _Refused(Exception):
    """The view refused (a DomainError): its transaction is rolled back, the refusal stored after."""

    def __init__(self, refusal: DomainError):
        self.refusal = refusal


@dataclass(frozen=True)
class _Attempt:
    user_id: int
    key: str
    request_hash: str
    payload: Any


def _run(view: Callable, args: tuple, kwargs: dict) -> Response:
    """The view's own changes, in the caller's write transaction. No savepoint: a refusal rolls the
    whole transaction back, which saves two statements on every accepted scan."""
    try:
        return make_response(view(*args, **kwargs))
    except DomainError as refusal:
        raise _Refused(refusal) from refusal


def _store_refusal(
    refusal: DomainError, attempt: _Attempt, on_refusal: RefusalHook | None, args: tuple
) -> Response:
    """A refusal is an outcome too: audited and stored in a transaction of its own, so a replay gets
    it back. If another process stored an outcome for the key in between, that one is answered."""
    with write_transaction():
        if (stored := idempotency.lock_and_find(attempt.user_id, attempt.key)) is not None:
            return _replay(idempotency.replayable(stored, attempt.request_hash))
        audit.record(
            "refused",
            request.endpoint or "api",
            None,
            {
                "code": refusal.code,
                "message": refusal.message,
                "fields": refusal.fields,
                "warehouse": refusal_warehouse(attempt.payload),  # for the exceptions page's filter
            },
            actor=current_user,
            context=_gps_context(attempt.payload),
        )
        if on_refusal is not None:
            on_refusal(refusal, *args)
        response = _refusal_response(refusal)
        idempotency.remember(
            attempt.user_id, attempt.key, attempt.request_hash, response.status_code, response.get_json()
        )
        return response


def _refusal_response(refusal: DomainError) -> Response:
    """The DESIGN §12 error body, as blueprints/errors.py renders it for an unstored refusal."""
    body = {
        **(getattr(refusal, "details", None) or {}),
        "code": refusal.code,
        "message": refusal.message,
        "fields": refusal.fields,
    }
    response = jsonify({"error": body})
    response.status_code = refusal.status
    return response


def _replay(record: idempotency.Outcome) -> Response:
    response = jsonify(record.body)
    response.status_code = record.status
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _gps_context(payload: Any) -> dict[str, Any]:
    """Phone actions carry their fix as `gps: {lat, lon, ...}`; refusals are audited with it."""
    gps = payload.get("gps") if isinstance(payload, dict) else None
    if isinstance(gps, dict) and all(isinstance(gps.get(k), int | float) for k in ("lat", "lon")):
        return {"lat": float(gps["lat"]), "lon": float(gps["lon"])}
    return {}
