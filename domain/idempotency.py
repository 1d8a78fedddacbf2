"""Exactly-once handling of phone actions (DESIGN §6, §12): one stored outcome per client key.

Keys are scoped per user: the unique constraint is (user_id, key), so two phones that happened to
generate the same key never see each other's results, and a key cannot be used to read another user's
response. The stored outcome (status and JSON body, refusals included) is written in the same
transaction as the change it describes; a replay with the same request gets it back and applies
nothing, the same key with a different request is refused (`idempotency_key_reused`, 422), and a retry
while the first is still running is told so (`idempotency_in_progress`, 409).

`run_once` is the whole mechanism; blueprints/api/idempotent.py is the decorator that reads the
request for it and makes its responses.
"""

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, bindparam, insert, select, text
from sqlalchemy.orm import Mapped, mapped_column

from domain import audit
from domain.clock import utcnow
from domain.errors import DomainError
from domain.stock.refusal_places import refusal_warehouse
from domain.transactions import pipelined, rows_in_one_round_trip, write_at_commit, write_transaction
from extensions import db

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,100}$")  # visible ASCII: UUIDs, ULIDs, outbox ids


class IdempotencyRecord(db.Model):
    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_key_user_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    body: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def check_key(key: str | None) -> str:
    if not key:
        raise DomainError(
            "idempotency_key_missing",
            _("Send an Idempotency-Key header so a retried request is applied only once."),
            {"Idempotency-Key": _("required")},
            status=400,
        )
    if not KEY_PATTERN.match(key):
        raise DomainError(
            "idempotency_key_invalid",
            _("The Idempotency-Key must be 1 to 100 visible ASCII characters."),
            {"Idempotency-Key": _("1 to 100 visible ASCII characters")},
            status=400,
        )
    return key


def fingerprint(method: str, path: str, payload: Any) -> str:
    """What makes two requests 'the same': method, path and the JSON body, key order ignored."""
    canonical = json.dumps(
        [method.upper(), path, payload], sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# ---- running at most once at a time ----

_running: set[tuple[int, str]] = set()
_running_lock = threading.Lock()


@contextmanager
def claim(user_id: int, key: str) -> Iterator[None]:
    """Mark the key as running in this process; a second request with it meanwhile gets a 409."""
    token = (user_id, key)
    with _running_lock:
        if token in _running:
            raise _in_progress()
        _running.add(token)
    try:
        yield
    finally:
        with _running_lock:
            _running.discard(token)


def _in_progress() -> DomainError:
    return DomainError(
        "idempotency_in_progress",
        _("This request is still being processed; wait a moment and retry with the same key."),
        status=409,
    )


# ---- stored outcomes ----


@dataclass(frozen=True)
class Outcome:
    request_hash: str
    status: int
    body: Any


_TABLE = IdempotencyRecord.__table__
_FIND = select(_TABLE.c.request_hash, _TABLE.c.status, _TABLE.c.body).where(
    _TABLE.c.user_id == bindparam("user_id"), _TABLE.c.key == bindparam("key")
)
_REMEMBER = insert(_TABLE).inline()  # no RETURNING: written in a pipeline (write_at_commit)


def find(user_id: int, key: str) -> Outcome | None:
    row = db.session.execute(_FIND, {"user_id": user_id, "key": key}).first()
    return Outcome(*row) if row else None


_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:lock_id)")


def lock_and_find(user_id: int, key: str) -> Outcome | None:
    """Inside the write transaction: the key's stored outcome, if any. On PostgreSQL a
    transaction-scoped advisory lock on the key comes first, so another server process running the
    same key answers 409 instead of applying it twice; the lock and the lookup go in one round trip,
    the lookup running after the lock with a snapshot of its own. (On SQLite write transactions are
    serialised, so the second one simply finds the stored outcome.)"""
    params = {"user_id": user_id, "key": key}
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return find(user_id, key)
    digest = hashlib.blake2b(f"{user_id}:{key}".encode(), digest_size=8).digest()
    lock = (_TRY_LOCK, {"lock_id": int.from_bytes(digest, "big", signed=True)})
    if pipelined(connection):
        [(locked,)], found = rows_in_one_round_trip(connection, lock, (_FIND, params))
        row = found[0] if found else None
    else:
        locked = db.session.execute(*lock).scalar()
        row = db.session.execute(_FIND, params).first()
    if not locked:
        raise _in_progress()
    return Outcome(*row) if row else None


def replayable(record: Outcome, request_hash: str) -> Outcome:
    """The stored outcome, if this request is the one that produced it."""
    if record.request_hash != request_hash:
        raise DomainError(
            "idempotency_key_reused",
            _("This Idempotency-Key was already used for a different request; use a new key."),
            {"Idempotency-Key": _("already used for a different request")},
            status=422,
        )
    return record


def remember(user_id: int, key: str, request_hash: str, status: int, body: Any) -> None:
    row = {"user_id": user_id, "key": key, "request_hash": request_hash, "status": status, "body": body}
    write_at_commit(_REMEMBER, {**row, "created_at": utcnow()})  # with the commit: one round trip


# ---- running an action exactly once ----

R = TypeVar("R")  # the web layer's answer (a response); this module only stores its status and body


@dataclass(frozen=True)
class Attempt:
    """One request under an Idempotency-Key: who sent it, its fingerprint, its JSON body (for the GPS
    fix a refusal is audited with) and where it went (the audit row's entity)."""

    actor: Any
    key: str
    request_hash: str
    payload: Any
    where: str

    @property
    def user_id(self) -> int:
        return self.actor.id


@dataclass(frozen=True)
class Answers(Generic[R]):
    """How the web layer makes an answer: the stored `outcome` (status, JSON body) of one, the answer
    to a `refusal`, and the answer that `replay`s a stored outcome."""

    outcome: Callable[[R], tuple[int, Any]]
    refusal: Callable[[DomainError], R]
    replay: Callable[[Outcome], R]


def run_once(
    attempt: Attempt,
    action: Callable[[], R],
    answers: Answers[R],
    on_refusal: Callable[[DomainError], None] | None = None,
) -> R:
    """Run `action` at most once for the attempt's key, in one write transaction that also stores
    its outcome; a replay gets the stored outcome and applies nothing. A refusal (a DomainError) is
    an outcome too: the action's changes are rolled back, then the refusal is audited and stored, so
    a replay gets the same refusal. `on_refusal(refusal)` keeps what must be kept anyway (e.g. the
    GPS fix of a refused scan), in the transaction that stores the refusal."""
    with claim(attempt.user_id, attempt.key):
        try:
            with write_transaction():
                if (stored := lock_and_find(attempt.user_id, attempt.key)) is not None:
                    return answers.replay(replayable(stored, attempt.request_hash))
                answer = _refusal_apart(action)
                remember(attempt.user_id, attempt.key, attempt.request_hash, *answers.outcome(answer))
                return answer
        except _Refused as refused:
            return _store_refusal(refused.refusal, attempt, answers, on_refusal)


class _Refused(Exception):
    """The action refused (a DomainError): its transaction is rolled back, the refusal stored after."""

    def __init__(self, refusal: DomainError):
        self.refusal = refusal


def _refusal_apart(action: Callable[[], R]) -> R:
    """The action's own changes, in the caller's write transaction. No savepoint: a refusal rolls the
    whole transaction back, which saves two statements on every accepted scan."""
    try:
        return action()
    except DomainError as refusal:
        raise _Refused(refusal) from refusal


def _store_refusal(
    refusal: DomainError,
    attempt: Attempt,
    answers: Answers[R],
    on_refusal: Callable[[DomainError], None] | None,
) -> R:
    """Audited and stored in a transaction of its own, so a replay gets it back. If another process
    stored an outcome for the key in between, that one is answered."""
    with write_transaction():
        if (stored := lock_and_find(attempt.user_id, attempt.key)) is not None:
            return answers.replay(replayable(stored, attempt.request_hash))
        audit.record(
            "refused",
            attempt.where,
            None,
            {
                "code": refusal.code,
                "message": refusal.message,
                "fields": refusal.fields,
                "warehouse": refusal_warehouse(attempt.payload),  # for the exceptions page's filter
            },
            actor=attempt.actor,
            context=gps_context(attempt.payload),
        )
        if on_refusal is not None:
            on_refusal(refusal)
        answer = answers.refusal(refusal)
        remember(attempt.user_id, attempt.key, attempt.request_hash, *answers.outcome(answer))
        return answer


def gps_context(payload: Any) -> dict[str, Any]:
    """Phone actions carry their fix as `gps: {lat, lon, ...}`; refusals are audited with it."""
    gps = payload.get("gps") if isinstance(payload, dict) else None
    if isinstance(gps, dict) and all(isinstance(gps.get(k), int | float) for k in ("lat", "lon")):
        return {"lat": float(gps["lat"]), "lon": float(gps["lon"])}
    return {}
