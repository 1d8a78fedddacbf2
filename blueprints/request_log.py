"""Structured request logs: one JSON line per request on stderr (method, path, status, duration in ms,
user id, remote address), which journald, Docker or any log shipper can parse.
REQUEST_LOG=json (default) or off; the line goes to the `order_helper.requests` logger."""

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, request
from sqlalchemy import inspect
from sqlalchemy.exc import NoInspectionAvailable

LOGGER_NAME = "order_helper.requests"


def _logger() -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:  # create_app runs many times in tests: one handler, not one per app
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def _start() -> None:
    g.request_started = time.perf_counter()


def _user_id() -> int | None:
    """The id of the user this request already loaded, read from the identity map: no query, even
    when the request's transaction was rolled back and the database is gone."""
    user = g.get("_login_user")
    if user is None:
        return None
    try:
        identity = inspect(user).identity
    except NoInspectionAvailable:  # the anonymous user
        return None
    return identity[0] if identity else None


def line(response: Response) -> str:
    started = g.get("request_started")
    return json.dumps(
        {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
            "user_id": _user_id(),
            "remote": request.remote_addr,
        },
        ensure_ascii=False,
    )


def register(app: Flask) -> None:
    if app.config.get("REQUEST_LOG", os.environ.get("REQUEST_LOG", "json")) == "off":
        return
    logger = _logger()

    def log(response: Response) -> Response:
        try:
            logger.info(line(response))
        except Exception:  # a log line never costs the user their answer
            logger.exception("request log line failed")
        return response

    app.before_request(_start)
    app.after_request(log)
