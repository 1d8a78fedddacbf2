"""/api/v1/stock: on-hand balances, the ledger, scanner moves (idempotent) and signed location labels."""

import marshmallow as ma
from flask import current_app, request
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.idempotent import idempotent
from blueprints.api.stock_schemas import GpsIn, Text, location_label_field, quantity_field, quantity_out
from domain.errors import DomainError
from domain.roles import ADMIN, PLANNER, WAREHOUSE
from domain.stock import queries
from domain.stock.gps_fixes import record_fix
from domain.stock.move_rules import SCANNER_KINDS
from domain.stock.moves import MoveRequest, apply_move

blp = Blueprint("api_stock", __name__, url_prefix="/stock", description="Stock on hand and stock moves")


class MoveIn(ma.Schema):
    kind = Text(required=True, validate=ma.validate.OneOf(SCANNER_KINDS))
    sku = Text(
        required=True, validate=ma.validate.Length(min=1, max=64), metadata={"description": "SKU code"}
    )
    lot = Text(load_default="", validate=ma.validate.Length(max=64))
    qty = quantity_field(required=True)
    location_label = location_label_field()
    gps = ma.fields.Nested(GpsIn, required=True)
    reason = Text(
        load_default=None, validate=ma.validate.Length(max=200), metadata={"description": "adjustments"}
    )
    ref = Text(
        load_default=None, validate=ma.validate.Length(max=32), metadata={"description": "order number"}
    )
    warehouse = Text(load_default=None, validate=ma.validate.Length(max=32), metadata={"description": "code"})


class MoveOut(ma.Schema):
    id = ma.fields.Integer()
    at = ma.fields.DateTime()
    kind = Text()
    sku = Text()
    lot = Text()
    location = Text()
    warehouse = Text()
    qty = quantity_out()
    on_hand = quantity_out()
    ref = Text(allow_none=True)
    gps_flags = ma.fields.List(Text())


class StockQuery(ma.Schema):
    sku = Text(load_default=None)
    warehouse = Text(load_default=None)
    location = Text(load_default=None)
    limit = ma.fields.Integer(load_default=200, validate=ma.validate.Range(min=1, max=1000))


class BalanceOut(ma.Schema):
    sku = Text()
    lot = Text()
    location = Text()
    warehouse = Text()
    qty = quantity_out()


class LedgerOut(MoveOut):
    class Meta:
        exclude = ("gps_flags",)

    reason = Text(allow_none=True)
    transfer_id = ma.fields.Integer(allow_none=True)


class LabelOut(ma.Schema):
    location_id = ma.fields.Integer()
    location = Text()
    warehouse = Text()
    token = Text(metadata={"description": "<id>.<signature>"})
    url = Text(metadata={"description": "what the QR code holds: <base>/s/loc/<token>"})


MOVE_REFUSALS = (
    "A refusal: outside_geofence, gps_inaccurate, invalid_location_label, wrong_warehouse_location, "
    "insufficient_stock, target_capacity_exceeded, missing_order_reference, unknown_order_reference, "
    "idempotency_key_reused ..."
)


def log_refused_fix(refusal: DomainError, body: dict, *_args) -> None:
    """A refused scan still leaves its GPS fix in the log, so spoofing attempts show in the signal."""
    if body.get("gps") is not None:
        record_fix(current_user, body["gps"], f"refused:{refusal.code}"[:32])


@blp.route("", methods=["GET"])
@blp.arguments(StockQuery, location="query")
@blp.response(200, BalanceOut(many=True))
@roles_required(WAREHOUSE, PLANNER, ADMIN)
def balances(query: dict):
    return queries.balances(**query)


@blp.route("/moves", methods=["GET"])
@blp.arguments(StockQuery, location="query")
@blp.response(200, LedgerOut(many=True))
@roles_required(WAREHOUSE, PLANNER, ADMIN)
def ledger(query: dict):
    return queries.ledger(**query)


@blp.route("/moves", methods=["POST"])
@blp.arguments(MoveIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(201, MoveOut)
@blp.alt_response(409, description="idempotency_in_progress")
@blp.alt_response(422, description=MOVE_REFUSALS)
@roles_required(WAREHOUSE)
def post_move(body: dict):
    return apply_move(MoveRequest(**body), current_user)


@blp.route("/locations/<int:location_id>/label", methods=["GET"])
@blp.response(200, LabelOut)
@roles_required(WAREHOUSE, ADMIN)
def location_label(location_id: int):
    # Behind a proxy the request's own root may be internal; labels must carry the public address.
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
    return queries.location_label(location_id, base)
