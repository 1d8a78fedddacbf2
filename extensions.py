"""Extension objects, created once and bound to the app in `create_app` (microblog style)."""

import marshmallow as ma
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Stable constraint names so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ErrorBody(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "stable machine code"})
    message = ma.fields.String(required=True, metadata={"description": "in the user's language"})
    fields = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.String(), metadata={"description": "field → problem"}
    )


class ErrorEnvelope(ma.Schema):
    error = ma.fields.Nested(ErrorBody, required=True)


class OrderHelperApi(Api):
    """flask-smorest Api whose documented error shape is DESIGN §12; errors are handled in
    blueprints/errors.py for the whole app, so the API does not register its own handler."""

    ERROR_SCHEMA = ErrorEnvelope

    def _register_error_handlers(self) -> None:
        pass


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
socketio = SocketIO()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def make_api(app) -> OrderHelperApi:
    """One Api per app (flask-smorest keeps the spec on the Api object)."""
    return OrderHelperApi(
        app,
        spec_kwargs={
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
        },
    )
