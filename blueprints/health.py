"""Health for load balancers and orchestrators: `/healthz` says the process answers (no database, so a
slow database never gets a healthy process killed); `/readyz` says it can serve (database, and Redis
when REDIS_URL is set), so a proxy or a deploy script sends traffic only to a ready process."""

import time

from flask import Blueprint, current_app, jsonify

from blueprints.access import public
from domain import transactions

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@public
def readyz():
    checks = {"database": _check_database()}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _check_redis(current_app.config["REDIS_URL"])
    ready = all(c["ok"] for c in checks.values())
    return jsonify(status="ready" if ready else "not_ready", checks=checks), 200 if ready else 503


def _timed(probe) -> dict:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # any failure means "not ready"; the reason goes to the operator
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _check_database() -> dict:
    return _timed(transactions.ping)


def _check_redis(url: str) -> dict:
    import redis

    def probe():
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()

    return _timed(probe)
