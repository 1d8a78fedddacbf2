"""/api/v1/transfers: transfers between warehouses (调拨单), each step idempotent and checked on site."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.fields import UtcDateTime
from blueprints.api.idempotent import idempotent
from blueprints.api.paging import CursorArgs, cursor_body, cursor_page_of
from blueprints.api.stock import log_refused_fix
from blueprints.api.stock_schemas import GpsIn, Text, location_label_field, quantity_field, quantity_out
from domain.errors import NotFound
from domain.roles import ADMIN, PLANNER, WAREHOUSE
from domain.stock import discrepancies, transfer_service
from domain.stock.transfers import STATES, Transfer
from extensions import db

blp = Blueprint(
    "api_transfers", __name__, url_prefix="/transfers", description="Transfers between warehouses"
)


class TransferIn(ma.Schema):
    order_ref = Text(
        load_default="", validate=ma.validate.Length(max=32), metadata={"description": "order number"}
    )
    sku = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    lot = Text(load_default="", validate=ma.validate.Length(max=64))
    qty = quantity_field(required=True)
    from_warehouse = Text(
        load_default="",
        validate=ma.validate.Length(max=32),
        metadata={"description": "source warehouse code; may be left out when location_label is given"},
    )
    to_warehouse = Text(required=True, validate=ma.validate.Length(min=1, max=32))
    gps = ma.fields.Nested(GpsIn, load_default=None)
    location_label = Text(
        load_default="",
        validate=ma.validate.Length(max=300),
        metadata={"description": "a source location label scanned on the phone: names the source warehouse"},
    )


class ScanIn(ma.Schema):
    location_label = location_label_field()
    gps = ma.fields.Nested(GpsIn, required=True)
    qty = quantity_field(load_default=None, metadata={"description": "counted, when not the full quantity"})
    note = Text(load_default="", validate=ma.validate.Length(max=200))


class DispatchIn(ma.Schema):
    gps = ma.fields.Nested(GpsIn, load_default=None)


class DiscrepancyOut(ma.Schema):
    picked_qty = quantity_out()
    received_qty = quantity_out()
    difference = quantity_out()
    note = Text()
    recorded_at = UtcDateTime()


class DiscrepancyListOut(DiscrepancyOut):
    id = ma.fields.Integer()
    transfer_id = ma.fields.Integer()
    transfer = ma.fields.Function(lambda d: d.transfer.number)
    order_ref = ma.fields.Function(lambda d: d.transfer.order_ref)
    sku = ma.fields.Function(lambda d: d.transfer.sku.code)
    lot = ma.fields.Function(lambda d: d.transfer.lot)
    from_warehouse = ma.fields.Function(lambda d: d.transfer.from_warehouse.code)
    to_warehouse = ma.fields.Function(lambda d: d.transfer.to_warehouse.code)
    recorded_by = ma.fields.Function(lambda d: d.recorded_by.username if d.recorded_by else None)


class DiscrepancyQuery(CursorArgs):
    warehouse = Text(load_default=None, metadata={"description": "target warehouse code"})
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=500))


class TransferOut(ma.Schema):
    id = ma.fields.Integer()
    number = Text()
    state = Text()
    order_ref = Text()
    sku = ma.fields.Function(lambda t: t.sku.code)
    lot = Text()
    qty = quantity_out()
    picked_qty = quantity_out()
    received_qty = quantity_out()
    from_warehouse = ma.fields.Function(lambda t: t.from_warehouse.code)
    to_warehouse = ma.fields.Function(lambda t: t.to_warehouse.code)
    requested_at = UtcDateTime()
    picked_at = UtcDateTime(allow_none=True)
    dispatched_at = UtcDateTime(allow_none=True)
    received_at = UtcDateTime(allow_none=True)
    stopped_reason = Text(
        allow_none=True, metadata={"description": "its order was held or cancelled: pick and dispatch wait"}
    )
    discrepancy = ma.fields.Nested(DiscrepancyOut, allow_none=True)


class TransferQuery(CursorArgs):
    state = Text(load_default=None, validate=ma.validate.OneOf(STATES))
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=500))


REFUSALS = (
    "missing_order_reference, unknown_order_reference, insufficient_stock, target_capacity_exceeded, "
    "transfer_paused_in_transit, outside_geofence, gps_inaccurate, invalid_location_label, "
    "wrong_warehouse_location, idempotency_key_reused ..."
)


@blp.route("", methods=["GET"])
@blp.arguments(TransferQuery, location="query")
@blp.response(200, cursor_page_of(TransferOut))
@roles_required(WAREHOUSE, PLANNER, ADMIN)
def list_transfers(query: dict):
    """The newest transfers first."""
    return cursor_body(transfer_service.list_transfers(**query))


@blp.route("/discrepancies", methods=["GET"])
@blp.arguments(DiscrepancyQuery, location="query")
@blp.response(200, cursor_page_of(DiscrepancyListOut))
@roles_required(WAREHOUSE, ADMIN)
def list_discrepancies(query: dict):
    """Transfers received ≠ picked, newest first: what left, what arrived, the reason and who counted."""
    return cursor_body(discrepancies.list_discrepancies(**query))


@blp.route("/<int:transfer_id>", methods=["GET"])
@blp.response(200, TransferOut)
@roles_required(WAREHOUSE, PLANNER, ADMIN)
def get_transfer(transfer_id: int):
    return db.session.get(Transfer, transfer_id) or _missing(transfer_id)


@blp.route("", methods=["POST"])
@blp.arguments(TransferIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(201, TransferOut)
@blp.alt_response(422, description=REFUSALS)
@roles_required(WAREHOUSE, PLANNER)
def request_transfer(body: dict):
    return transfer_service.request_transfer(transfer_service.TransferRequest(**body), current_user)


@blp.route("/<int:transfer_id>/pick", methods=["POST"])
@blp.arguments(ScanIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(200, TransferOut)
@blp.alt_response(409, description="transfer_state_conflict, idempotency_in_progress")
@blp.alt_response(422, description=REFUSALS)
@roles_required(WAREHOUSE)
def pick(body: dict, transfer_id: int):
    return transfer_service.pick(transfer_id, transfer_service.ScanStep(**body), current_user)


@blp.route("/<int:transfer_id>/dispatch", methods=["POST"])
@blp.arguments(DispatchIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(200, TransferOut)
@blp.alt_response(409, description="transfer_state_conflict, idempotency_in_progress")
@roles_required(WAREHOUSE)
def dispatch(body: dict, transfer_id: int):
    return transfer_service.dispatch(transfer_id, body["gps"], current_user)


@blp.route("/<int:transfer_id>/receive", methods=["POST"])
@blp.arguments(ScanIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(200, TransferOut)
@blp.alt_response(409, description="transfer_state_conflict, idempotency_in_progress")
@blp.alt_response(422, description=REFUSALS)
@roles_required(WAREHOUSE)
def receive(body: dict, transfer_id: int):
    return transfer_service.receive(transfer_id, transfer_service.ScanStep(**body), current_user)


@blp.route("/<int:transfer_id>/cancel", methods=["POST"])
@idempotent()
@blp.response(200, TransferOut)
@blp.alt_response(409, description="transfer_state_conflict, idempotency_in_progress")
@roles_required(WAREHOUSE, PLANNER)
def cancel(transfer_id: int):
    return transfer_service.cancel(transfer_id, current_user)


def _missing(transfer_id: int):
    raise NotFound("transfer", transfer_id)
