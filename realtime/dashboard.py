"""Live dashboards (DESIGN §9) without one query per screen: a commit that touched orders, production,
stock, quality or kitting marks the modules it can move as dirty; within about a second
(DASHBOARD_PUSH_INTERVAL) the marks are coalesced, each dirty module is computed once, and the result
({module: data}) is broadcast to the `dashboard` room.

Screens join the room with the `dashboard_join` event (roles as the dashboard page). A process with
no dashboard screen of its own computes nothing, unless a message queue (REDIS_URL) links processes,
when the screens may be connected to another one."""

import logging
import threading
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_login import current_user
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from domain.orders.service import SEE_ALL_ROLES
from extensions import db, socketio
from realtime import app_server, join

ROOM = "dashboard"
JOIN_EVENT = "dashboard_join"
UPDATE_EVENT = "dashboard_update"
DEFAULT_INTERVAL = 1.0  # seconds: marks within this window cause one computation
POOL, HEATMAP, KITTING, COUNTDOWN = "order_pool", "heatmap", "kitting", "countdown"
# Table (name, or prefix ending in _) → the modules its changes can move. A scan in the warehouse
# (stock_*) redraws the kitting alerts only; a due-date edit the order pool and the countdown.
SOURCES: tuple[tuple[str, frozenset[str]], ...] = (
    ("sales_order", frozenset({POOL, COUNTDOWN})),
    ("work_order", frozenset({HEATMAP, KITTING, COUNTDOWN})),
    ("operation", frozenset({HEATMAP})),
    ("inspection", frozenset({COUNTDOWN})),
    ("stock_", frozenset({KITTING})),
    ("material_reservation", frozenset({KITTING})),
    ("bom_", frozenset({KITTING})),
    ("machine", frozenset({HEATMAP})),
    ("workshop", frozenset({HEATMAP})),
    ("customer", frozenset({POOL, COUNTDOWN})),
)
_FLAG = "dashboard_dirty"
log = logging.getLogger(__name__)


def modules_moved_by(table_name: str) -> frozenset[str]:
    found: set[str] = set()
    for prefix, modules in SOURCES:
        if table_name == prefix or (prefix.endswith("_") and table_name.startswith(prefix)):
            found |= modules
    return frozenset(found)


class DashboardFeed:
    """One per app: coalesces dirty marks and broadcasts at most once per interval, recomputing only
    the modules whose sources changed."""

    def __init__(self, app: Flask, interval: float):
        self.app = app
        self.interval = interval
        self.computations = 0  # rounds that computed and broadcast (tests read it)
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._running = False

    def mark_dirty(self, modules: Iterable[str]) -> None:
        with self._lock:
            self._pending |= set(modules)
            if self._running or not self._pending:
                return
            self._running = True
        socketio.start_background_task(self._run)

    def _run(self) -> None:
        while True:
            socketio.sleep(self.interval)
            with self._lock:
                if not self._pending:
                    self._running = False
                    return
                modules, self._pending = self._pending, set()
            try:
                self.broadcast(modules)
            except Exception:  # a failed round must not stop later ones
                log.exception("dashboard broadcast failed")

    def broadcast(self, modules: Iterable[str]) -> None:
        with self.app.app_context():
            if not self._has_audience():
                return
            from domain.kpi import service

            try:
                data = {name: service.dashboard_module(name) for name in sorted(modules)}
                self.computations += 1
            finally:
                db.session.remove()
        self._server().emit(UPDATE_EVENT, data, to=ROOM, namespace="/")

    def _server(self):
        """This app's Socket.IO server (`socketio.server` is the last app's)."""
        with self.app.app_context():
            return app_server()

    def _has_audience(self) -> bool:
        if self.app.config.get("REDIS_URL"):
            return True
        server = self._server()
        if server is None:
            return False
        return any(True for _ in server.manager.get_participants("/", ROOM))


_FEEDS_LOCK = threading.Lock()


def feed(app: Flask) -> DashboardFeed:
    """The app's feed, made on first use (two requests committing at once get the same one)."""
    with _FEEDS_LOCK:
        existing = app.extensions.get("dashboard_feed")
        if existing is None:
            interval = float(app.config.get("DASHBOARD_PUSH_INTERVAL", DEFAULT_INTERVAL))
            existing = app.extensions["dashboard_feed"] = DashboardFeed(app, interval)
        return existing


# ---- noticing changes ----


def _note(session, table_name: str) -> None:
    if modules := modules_moved_by(table_name):
        session.info.setdefault(_FLAG, set()).update(modules)


@event.listens_for(Session, "after_flush")
def _note_flush(session, _context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        _note(session, getattr(obj, "__tablename__", ""))


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    """Bulk inserts and updates (session.execute(insert(...))) bypass the flush."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None:
            _note(state.session, getattr(table, "name", ""))


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    modules = session.info.pop(_FLAG, None)
    if modules and has_app_context():
        feed(current_app._get_current_object()).mark_dirty(modules)  # type: ignore[attr-defined]


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(_FLAG, None)


# ---- screens ----


@socketio.on(JOIN_EVENT)
def on_join(_data: Any = None) -> dict[str, Any]:
    if not current_user.is_authenticated or not current_user.has_any_role(SEE_ALL_ROLES):
        return {"ok": False}
    join(ROOM)
    return {"ok": True}
