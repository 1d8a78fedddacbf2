"""Write transactions that serialise the same way on SQLite and PostgreSQL, short and explicit.

SQLite allows one writer at a time. A plain (deferred) transaction takes the write lock only at its
first write, and a writer that finds it taken sleeps in SQLite's busy handler (1, 2, 5, 10 ... 100 ms
steps), which is what gives a naive stack p99 latencies of several hundred ms. Here a write transaction
queues on an in-process lock first and then starts with `BEGIN IMMEDIATE`, so within one server process
writers wait their turn without sleeping, and across processes (the CLI, a second worker) the busy
timeout still serialises them. On PostgreSQL the transaction is the session's ordinary one (READ
COMMITTED); the code inside uses conditional updates and row locks where it needs them.
"""

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy.orm import Session

from extensions import db

_OPEN = "write_transaction_open"
_CHECKS = "write_transaction_checks"


class FifoLock:
    """A mutex that hands itself to waiters in arrival order. A plain Lock lets a newly arriving
    thread barge past threads already waiting, which under load turns into a long latency tail."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def __enter__(self) -> "FifoLock":
        with self._guard:
            if not self._held:
                self._held = True
                return self
            baton = threading.Lock()
            baton.acquire()
            self._waiters.append(baton)
        baton.acquire()  # released by the previous holder, who hands the lock over still held
        return self

    def __exit__(self, *_exc: object) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._held = False


_writer_locks: dict[str, FifoLock] = {}
_registry_lock = threading.Lock()


def in_write_transaction(session: Session | None = None) -> bool:
    return bool((session or db.session).info.get(_OPEN))


@contextmanager
def write_transaction() -> Iterator[Session]:
    """Run the block as one unit of work and commit it; roll back on any exception.

    Re-entrant: inside an open write transaction the block joins it and the outermost one commits, so
    a service function owns its transaction when called alone and joins the caller's (for example the
    idempotency layer's) otherwise.
    """
    session = db.session
    if in_write_transaction(session):
        yield session
        return
    connection = session.connection()  # check out before queueing, so no pool wait inside the lock
    sqlite = connection.dialect.name == "sqlite"
    with _writer_lock(str(connection.engine.url)) if sqlite else nullcontext():
        if sqlite:
            if connection.connection.dbapi_connection.in_transaction:
                raise RuntimeError("write_transaction() must start a fresh unit of work; commit first")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        session.info[_OPEN] = True
        try:
            yield session
            run_checks_before_commit()
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop(_OPEN, None)
            session.info.pop(_CHECKS, None)


def check_before_commit(check: Callable[[], None]) -> None:
    """Run `check` at the end of the open write transaction, just before it commits; a check refuses
    by raising, which rolls the whole transaction back.

    For checks that lock a row every writer of some kind contends for (a warehouse's capacity): run
    last, the lock is held for the check and the commit only, not for the rest of the work."""
    session = db.session
    if not in_write_transaction(session):
        raise RuntimeError("check_before_commit() needs an open write_transaction()")
    session.info.setdefault(_CHECKS, []).append(check)


def run_checks_before_commit() -> None:
    """The deferred checks, now (write_transaction runs any left at commit). The idempotency layer
    calls it before it stores a view's outcome, so a check's refusal is stored as the outcome."""
    checks = db.session.info.pop(_CHECKS, [])
    for check in checks:
        check()


def _writer_lock(url: str) -> FifoLock:
    lock = _writer_locks.get(url)
    if lock is None:
        with _registry_lock:
            lock = _writer_locks.setdefault(url, FifoLock())
    return lock
