"""A database for a cluster test (PostgreSQL when it answers, as in production; else SQLite) with one
warehouse user and a bearer token, and Redis when it answers (the Socket.IO queue between processes)."""

import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from domain.users import User, issue_token
from extensions import db
from tests.conftest import PG_ADMIN_URL, _postgres_reachable

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Seeded:
    url: str
    token: str
    user_id: int


def _seed(url: str) -> Seeded:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "deploy-test-secret", "REDIS_URL": None})
    with app.app_context():
        db.create_all()
        user = User(username="wh", password_hash="-")
        user.set_roles(["warehouse"])
        db.session.add(user)
        db.session.flush()
        token = issue_token(user, 2)
        db.session.commit()
        seeded = Seeded(url, token, user.id)
        db.session.remove()
        db.engine.dispose()
    return seeded


@pytest.fixture
def cluster_db(tmp_path) -> Iterator[Seeded]:
    if not _postgres_reachable():
        yield _seed(f"sqlite:///{tmp_path / 'cluster.sqlite'}")
        return
    name = f"oh_deploy_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    try:
        yield _seed(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    finally:
        admin = create_engine(
            PG_ADMIN_URL, isolation_level="AUTOCOMMIT"
        )  # fresh: the server may have restarted
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
