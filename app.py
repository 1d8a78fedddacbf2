"""Order Helper (订单小助手): the application factory, its extensions and CLI commands."""

from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, request, send_from_directory, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

import config
from blueprints import access, converters, errors, request_log, security_headers, session_cookie
from domain import audit, clock
from extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__, static_folder=None, template_folder="templates", instance_path=str(config.INSTANCE_DIR)
    )
    app.config.update(config.from_env())
    app.config.update(overrides or {})
    request_log.register(app)  # first, so its timing covers every other hook
    converters.register(app)
    session_cookie.register(app)
    _init_extensions(app)
    _register_blueprints(app)
    errors.register(app)
    security_headers.register(app)
    app.before_request(access.enforce)
    app.context_processor(_template_globals)
    app.add_template_filter(clock.format_plant, "plant_time")  # stored UTC → plant time on every page
    audit.context_provider = _request_context
    _register_cli(app)
    if app.config.get("DELIVERY_WORKER") == "thread":  # the SQLite demo: no separate worker process
        from domain.delivery import runner

        app.extensions["delivery_worker"] = runner.start_thread(app)
    return app


def _init_extensions(app: Flask) -> None:
    import domain.models

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_user_from_bearer)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    # Handlers first: Flask-SocketIO hands its list of handlers to every server init_app creates, but a
    # handler declared after the first init_app lands on that server only (a second app had none).
    import domain.events.reactions  # noqa: F401  (the in-transaction side of every domain event)
    import realtime  # registers the Socket.IO handlers and notifiers (and realtime.dashboard below its own)
    import realtime.dashboard  # noqa: F401  (live dashboards, DESIGN §9)

    queue = app.config.get("REDIS_URL")
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=queue,
        channel=app.config.get("SOCKETIO_CHANNEL", "flask-socketio"),  # processes of one app share one
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS", []),
        # init_app keeps the options of earlier calls: without this, an app made after one with a
        # queue (tests, tools) would still publish through that queue.
        **({} if queue else {"client_manager": None}),
    )
    # This app's own server: `socketio.server` is the last app's, and a process may hold two apps.
    app.extensions["socketio_server"] = socketio.server


def _register_blueprints(app: Flask) -> None:
    from blueprints import api as api_pkg
    from blueprints import (
        auth,
        health,
        main,
        notification_settings,
        order_changes,
        order_rules_admin,
        order_stops,
        orders,
        pwa,
        rush,
    )

    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(pwa.bp)
    app.register_blueprint(notification_settings.bp)
    for module in (orders, order_stops, order_changes, rush, order_rules_admin):  # DESIGN §3
        app.register_blueprint(module.bp)
    api_pkg.register(app)
    from blueprints import dashboard, dashboard_kpi  # DESIGN §9: dashboards and KPIs

    app.register_blueprint(dashboard.bp)
    app.register_blueprint(dashboard_kpi.bp)
    from blueprints import scanner  # DESIGN §6: the phone scanner

    app.register_blueprint(scanner.bp)
    from blueprints import label_links  # DESIGN §6: what a phone camera opens from a label

    app.register_blueprint(label_links.bp)
    from blueprints import label_sheets  # DESIGN §6: printable QR labels

    app.register_blueprint(label_sheets.bp)
    from blueprints import transfer_requests  # DESIGN §6: a transfer requested from the desk

    app.register_blueprint(transfer_requests.bp)
    from blueprints import pick_lists  # DESIGN §6: a sales order's printable pick list

    app.register_blueprint(pick_lists.bp)
    from blueprints import exceptions  # DESIGN §6: the warehouse supervisor's exceptions

    app.register_blueprint(exceptions.bp)
    from blueprints import service  # DESIGN §8: after-sales service tickets

    app.register_blueprint(service.bp)
    from blueprints.admin import boms, routings, users, warehouses  # admin pages with rules of their own

    for module in (boms, routings, warehouses, users):
        app.register_blueprint(module.bp)
    from blueprints.admin import index as admin_index
    from blueprints.admin import masterdata  # customers, products, prices, SKUs, teams, ...: one set of views

    app.register_blueprint(admin_index.bp)
    app.register_blueprint(masterdata.bp)
    from blueprints import planning  # DESIGN §4: the Gantt

    app.register_blueprint(planning.bp)
    from blueprints import production  # DESIGN §4: convert to production, work orders, leaders' task cards

    app.register_blueprint(production.bp)
    from blueprints import quality  # DESIGN §5, §7: inspections, trace and kitting

    app.register_blueprint(quality.bp)
    from blueprints import entry_record, order_exchange  # DESIGN §2, §10: data exchange and adoption
    from blueprints.admin import delivery, entry_errors, erp_syncs

    for module in (order_exchange, entry_record, erp_syncs, entry_errors, delivery):
        app.register_blueprint(module.bp)
    app.add_url_rule("/pwa/<path:filename>", "pwa_static", _pwa_file)


def _pwa_file(filename: str):
    return send_from_directory(ROOT / "pwa", filename, max_age=3600)


def _load_user(user_id: str):
    from domain.users import User

    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def _load_user_from_bearer(req):
    from domain.users import user_for_token

    header = req.headers.get("Authorization", "")
    if header.startswith("Bearer ") and len(header) < 200:
        return user_for_token(header[7:].strip())
    return None


def select_locale() -> str:
    """Explicit choice (session, then the user's saved one), else the browser's Accept-Language.
    Outside a request (CLI, background work) the default locale applies."""
    if not has_request_context():
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")
    chosen = session.get("lang") or _saved_locale()
    if chosen in ("zh_CN", "en"):
        return chosen
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"], default="zh_CN")
    return "en" if best == "en" else "zh_CN"


def _saved_locale() -> str | None:
    try:
        return current_user.locale if current_user.is_authenticated else None
    except SQLAlchemyError:  # the database is down: the error answer still needs a language
        return None


def _template_globals() -> dict[str, Any]:
    from flask_babel import get_locale

    from domain.roles import ROLE_LABELS

    locale = get_locale()
    return {
        "current_locale": "zh_CN" if locale and locale.language == "zh" else "en",
        "role_labels": ROLE_LABELS,
    }


def _request_context() -> dict[str, Any]:
    if not has_request_context():
        return {}
    return {"ip": request.remote_addr, "device": request.user_agent.string}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, WAL so readers don't block the writer, wait instead of failing."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, no fsync per commit
        cursor.close()


def _register_cli(app: Flask) -> None:
    from cli import register

    register(app)
