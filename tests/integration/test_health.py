"""/healthz (liveness: no database) and /readyz (database, and Redis when configured) for proxies."""

import pytest

from extensions import db


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready"
    assert response.json["checks"]["database"]["ok"] is True
    assert "redis" not in response.json["checks"]


def test_readyz_is_503_when_the_database_is_gone(app, client):
    db.session.remove()
    db.engine.dispose()
    good_url = app.config["SQLALCHEMY_DATABASE_URI"]
    engines = app.extensions["sqlalchemy"]._app_engines[app]
    original = engines[None]
    from sqlalchemy import create_engine

    broken = (
        "sqlite:////nonexistent-dir/x.sqlite"
        if good_url.startswith("sqlite")
        else "postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    engines[None] = create_engine(broken)
    try:
        response = client.get("/readyz")
    finally:
        engines[None].dispose()
        engines[None] = original
    assert response.status_code == 503
    assert response.json["checks"]["database"]["ok"] is False


@pytest.mark.config(REDIS_URL="redis://127.0.0.1:1/0")
def test_readyz_is_503_when_redis_is_configured_but_down(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"]["ok"] is False
    assert response.json["checks"]["database"]["ok"] is True
