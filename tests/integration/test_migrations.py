"""`flask db upgrade` builds exactly the models' schema on SQLite and PostgreSQL, keeps the data it
finds, and `flask db downgrade base` takes it all away again."""

import logging
import uuid
from collections.abc import Iterator

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy import create_engine, inspect, text

from app import create_app
from domain.users import find_user
from extensions import db
from tests.conftest import BACKENDS, PG_ADMIN_URL, TEST_CONFIG, make_user


@pytest.fixture
def keep_logging() -> Iterator[None]:
    """Alembic's env.py runs logging.fileConfig, which disables every logger it does not name;
    put them back so later tests still see the app's log records."""
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    disabled = {lg.name: lg.disabled for lg in loggers if isinstance(lg, logging.Logger)}
    root_handlers, root_level = list(logging.root.handlers), logging.root.level
    yield
    for name, was_disabled in disabled.items():
        logging.getLogger(name).disabled = was_disabled
    logging.root.handlers[:] = root_handlers
    logging.root.setLevel(root_level)


def _fresh_postgres_database() -> Iterator[str]:
    """A database of this test's own (like conftest's postgres_url), dropped afterwards."""
    name = f"oh_migr_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # e.g. only TEST_DATABASE_URL given, without rights to create databases
        admin.dispose()
        pytest.skip(f"cannot create a PostgreSQL database for the migration test: {exc}")
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "postgresql":
        yield from _fresh_postgres_database()
    else:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"


@pytest.fixture
def empty_app(empty_database_url, keep_logging):
    """The app on an empty database: no create_all, the migrations alone build the schema."""
    application = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def schema_diff() -> list:
    """What autogenerate would still write: the differences between the database and the models."""
    options = current_app.extensions["migrate"].configure_args
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, **options})
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_upgrade_from_empty_builds_exactly_the_models(empty_app):
    flask_migrate.upgrade()
    assert schema_diff() == []
    assert set(db.metadata.tables) <= table_names()


def test_upgrade_keeps_the_data_already_there(empty_app):
    flask_migrate.upgrade()
    make_user("kept", ["sales"], display_name="留下 Kept")
    db.session.remove()
    flask_migrate.upgrade()
    user = find_user("kept")
    assert user is not None
    assert user.display_name == "留下 Kept"
    assert user.roles == {"sales"}


def test_downgrade_to_base_removes_every_table(empty_app):
    flask_migrate.upgrade()
    upgraded = table_names()
    flask_migrate.downgrade(revision="base")
    assert table_names() <= {"alembic_version"}
    flask_migrate.upgrade()  # and the way back up still works
    assert table_names() == upgraded
