"""The bench's baseline: a bare endpoint of the same stack (bearer auth, role check, flask-smorest
schemas, one insert, commit). Registered only by bench/wsgi_bench.py, never by the app itself."""

import marshmallow as ma
from flask import Flask
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from domain import audit
from domain.roles import WAREHOUSE
from extensions import csrf, db

blp = Blueprint("bench_bare", __name__, url_prefix="/bench", description="Bench only: one insert")


class BareIn(ma.Schema):
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=100))


class BareOut(ma.Schema):
    id = ma.fields.Integer()


@blp.route("/insert", methods=["POST"])
@blp.arguments(BareIn)
@blp.response(201, BareOut)
@roles_required(WAREHOUSE)
def insert(body: dict):
    row_id = audit.record("bench_insert", "bench", None, body, actor=current_user)
    db.session.commit()
    return {"id": row_id}


def register(app: Flask) -> None:
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    csrf.exempt(blp)
    api.register_blueprint(blp, url_prefix="/api/v1/bench")
