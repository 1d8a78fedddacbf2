"""Write transactions that serialise the same way on SQLite and PostgreSQL, short and explicit.

SQLite allows one writer at a time. A plain (deferred) transaction takes the write lock only at its
first write, and a writer that finds it taken sleeps in SQLite's busy handler (1, 2, 5, 10 ... 100 ms
steps), which is what gives a naive stack p99 latencies of several hundred ms. Here a write transaction
queues on an in-process lock first and then starts with `BEGIN IMMEDIATE`, so within one server process
writers wait their turn without sleeping, and across processes (the CLI, a second worker) the busy
timeout still serialises them. On PostgreSQL the transaction is the session's ordinary one (READ
COMMITTED); the code inside uses conditional updates and row locks where it needs them.
"""

import functools
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from domain.events.bus import prepare as prepare_notifications
from extensions import db

_OPEN = "write_transaction_open"
_WRITES = "write_transaction_writes"
P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger(__name__)


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
            _commit(session)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop(_OPEN, None)
            session.info.pop(_WRITES, None)


def unit_of_work(use_case: Callable[P, R]) -> Callable[P, R]:
    """Make a service function a use case: its whole body is one write_transaction(), committed when
    it returns and rolled back when it raises, so the view that calls it neither commits nor rolls
    back. Joins the caller's transaction when one is open."""

    @functools.wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with write_transaction():
            return use_case(*args, **kwargs)

    return run


def discard() -> None:
    """Throw away whatever the request left uncommitted (an error page is about to be shown). When the
    database itself is gone (a restart), the rollback fails too, and the answer must still be the §12
    error, not the framework's bare 500 page: then the session is dropped instead."""
    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback failed; dropping the session", exc_info=True)
        db.session.remove()


def ping() -> None:
    """Ask the database for one row, for a readiness check; raises when it does not answer. Ends the
    read at once either way, so the probe never leaves a transaction (or a broken one) behind."""
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        discard()


def write_at_commit(statement: Executable, params: dict[str, Any]) -> None:
    """Queue `statement`, a write whose result nobody reads (an audit row, a stored response), to run
    at the end of the open write transaction. On PostgreSQL the queued writes and the COMMIT go to the
    server in one round trip (psycopg's pipeline mode), so a scan holds its balance row's lock, which
    every scan of that row queues on, for one round trip after the balance change, not one per write.
    An INSERT must be made `.inline()`, so that SQLAlchemy adds no RETURNING to read back. A failed
    write fails the commit and rolls the whole transaction back."""
    session = db.session
    if not in_write_transaction(session):
        raise RuntimeError("write_at_commit() needs an open write_transaction()")
    session.info.setdefault(_WRITES, []).append((statement, params))


def _commit(session: Session) -> None:
    prepare_notifications(session)  # before the pipelined writes: their COMMIT closes the transaction
    if writes := session.info.pop(_WRITES, []):
        session.flush()  # the ORM's own inserts read their ids back: not inside a pipeline
        with _with_the_commit(session.connection()):
            for statement, params in writes:
                session.execute(statement, params)
    session.commit()


def pipelined(connection: Connection) -> bool:
    """Whether statements can go to the server in one pipeline, one round trip (psycopg)."""
    return connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg"


def rows_in_one_round_trip(connection: Connection, *statements: tuple[Executable, dict]) -> list[list]:
    """Run the statements one after the other in one pipeline (see `pipelined`) and return each one's
    rows. The server runs each statement after the one before, with a snapshot of its own (READ
    COMMITTED), so a read after a row lock sees what the lock's previous holder committed. Values are
    the driver's own: no SQLAlchemy type processing."""
    driver = connection.connection.driver_connection
    with _driver_errors(connection), driver.pipeline():
        cursors = [
            driver.execute(*_driver_sql(statement, params, connection)) for statement, params in statements
        ]
    return [cursor.fetchall() if cursor.description else [] for cursor in cursors]


_COMPILED: dict[tuple[Executable, str], Any] = {}


def _driver_sql(statement: Executable, params: dict, connection: Connection) -> tuple[str, dict]:
    key = (statement, connection.dialect.name)
    if (compiled := _COMPILED.get(key)) is None:
        compiled = _COMPILED.setdefault(key, statement.compile(dialect=connection.dialect))
    expanded = compiled.construct_expanded_state(params)
    return expanded.statement, expanded.parameters


@contextmanager
def _with_the_commit(connection: Connection) -> Iterator[None]:
    """PostgreSQL (psycopg): send the block's statements and the COMMIT in one pipeline, one round
    trip; the session's own commit then finds the transaction closed and sends nothing. Elsewhere the
    block runs as it is and the session commits."""
    if not pipelined(connection):
        yield
        return
    driver = connection.connection.driver_connection
    with _driver_errors(connection), driver.pipeline():
        yield
        driver.commit()


@contextmanager
def _driver_errors(connection: Connection) -> Iterator[None]:
    """A pipelined statement's error arrives past SQLAlchemy's own wrapping: wrap it the same way
    (IntegrityError, OperationalError ...), and drop the connection if it is gone."""
    dialect = connection.dialect
    try:
        yield
    except dialect.loaded_dbapi.Error as error:
        gone = dialect.is_disconnect(error, connection.connection.driver_connection, None)
        if gone:
            connection.invalidate(error)
        raise DBAPIError.instance(
            None, None, error, dialect.loaded_dbapi.Error, connection_invalidated=gone, dialect=dialect
        ) from error


def _writer_lock(url: str) -> FifoLock:
    lock = _writer_locks.get(url)
    if lock is None:
        with _registry_lock:
            lock = _writer_locks.setdefault(url, FifoLock())
    return lock
