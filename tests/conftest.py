"""Fixtures: `app`, `client`, `runner` on a fresh database; every database test runs on SQLite and,
when a server answers, on PostgreSQL too (TEST_DATABASE_URL, or 127.0.0.1:5432 with trust auth)."""

import os
import socket
import uuid
from collections.abc import Iterator

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app import create_app
from domain.users import User, find_user
from extensions import db

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _postgres_reachable() -> bool:
    if os.environ.get("TEST_DATABASE_URL"):
        return True
    if os.environ.get("TEST_SKIP_POSTGRES") == "1":
        return False
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


BACKENDS = ["sqlite"] + (["postgresql"] if _postgres_reachable() else [])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of this test session's own, so parallel runs on one server never collide."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    name = f"oh_test_{uuid.uuid4().hex[:10]}"
    # pre-ping: tests/faults restarts PostgreSQL mid-session, leaving this pool's connection dead
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "SECRET_KEY": "test-secret",
    "REDIS_URL": None,
    "BABEL_DEFAULT_LOCALE": "en",  # CLI output and background work in English, as the assertions are
}


def _database_url(request, tmp_path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


def _reset(url: str) -> None:
    if url.startswith("sqlite"):
        db.create_all()
        return
    db.create_all()  # no-op after the first test of the session
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    """The app on a fresh database; `@pytest.mark.config(KEY=value)` adds settings."""
    url = _database_url(request, tmp_path)
    marker = request.node.get_closest_marker("config")
    overrides = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **(marker.kwargs if marker else {})}
    application = create_app(overrides)
    with application.app_context():
        _reset(url)
        yield application
        if workers := application.extensions.get("delivery_worker"):  # DELIVERY_WORKER="thread"
            workers.stop()  # before the next test's database: a job of its own is for its own worker
        db.session.remove()
        db.engine.dispose()


class FreshUserClient(FlaskClient):
    """The fixture keeps one app context open, so `g` outlives a request; forget the previous
    request's signed-in user the way a real server (a new context per request) does.
    It reads English unless a test sends its own Accept-Language (the language tests do)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)  # and its language: Flask-Babel caches the locale in `g` too
        g.pop("csrf_token", None)  # and Flask-WTF its token, which must follow the session
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshUserClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_user(username: str, roles: list[str], password: str = "demo", **fields) -> User:
    """A user with a cheap password hash (tests need speed, not strength)."""
    user = find_user(username) or User(username=username, display_name=fields.pop("display_name", username))
    for key, value in fields.items():
        setattr(user, key, value)
    from werkzeug.security import generate_password_hash

    user.password_hash = generate_password_hash(password, method="pbkdf2:sha256:1000")
    user.set_roles(roles)
    db.session.add(user)
    db.session.commit()
    return user


class AuthActions:
    """Sign in as a role the way a user would: pages via the login form, API via a bearer token."""

    def __init__(self, client):
        self._client = client

    def login(self, role: str, username: str | None = None):
        name = username or role
        make_user(name, [role])
        return self._client.post("/login", data={"username": name, "password": "demo"})

    def logout(self):
        return self._client.post("/logout")

    def headers(self, role: str, username: str | None = None) -> dict[str, str]:
        name = username or role
        make_user(name, [role])
        response = self._client.post("/api/v1/auth/token", json={"username": name, "password": "demo"})
        assert response.status_code == 200, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}


@pytest.fixture
def auth(client):
    return AuthActions(client)


def pytest_configure(config):
    config.addinivalue_line("markers", "config(**settings): extra app settings for this test")
