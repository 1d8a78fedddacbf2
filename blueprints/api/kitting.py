"""/api/v1/kitting: kitting per work order, the alert zone, and material reservations (DESIGN §5)."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.fields import UtcDateTime
from blueprints.api.idempotent import idempotent
from blueprints.api.stock_schemas import Text, quantity_field, quantity_out
from domain.kitting import service as kitting
from domain.roles import ADMIN, LEADER, PLANNER, VP, WAREHOUSE

blp = Blueprint("api_kitting", __name__, url_prefix="/kitting", description="Materials kitting (物料齐套)")

READERS = (PLANNER, WAREHOUSE, ADMIN, VP, LEADER)


class KittingLineOut(ma.Schema):
    sku = Text()
    name = Text()
    unit = Text()
    required = quantity_out()
    issued = quantity_out()
    still_needed = quantity_out()
    available = quantity_out()
    short = quantity_out()
    covered = ma.fields.Boolean()
    needs_rekitting = ma.fields.Boolean(
        metadata={
            "description": "the customer's spec changed this material and no SKU of the new spec is known"
        }
    )


class KittingMissingOut(ma.Schema):
    sku = Text()
    short = quantity_out()
    unit = Text()


class KittingOut(ma.Schema):
    work_order_id = ma.fields.Integer()
    work_order = Text()
    order = Text()
    product = Text()
    quantity = quantity_out()
    planned_start = UtcDateTime(allow_none=True)
    status = Text()
    kitting_rate = ma.fields.Decimal(as_string=True, metadata={"description": "0..1"})
    lines = ma.fields.List(ma.fields.Nested(KittingLineOut))
    missing = ma.fields.List(ma.fields.Nested(KittingMissingOut))


class AlertQuery(ma.Schema):
    days = ma.fields.Integer(load_default=kitting.ALERT_DAYS, validate=ma.validate.Range(min=1, max=60))


class ReservationIn(ma.Schema):
    sku = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    qty = quantity_field(required=True)


class ReservationOut(ma.Schema):
    id = ma.fields.Integer()
    sku = Text()
    qty = quantity_out()
    created_at = UtcDateTime()
    released_at = UtcDateTime(allow_none=True)
    release_reason = Text(
        allow_none=True, metadata={"description": "hold | cancel | spec_change when released with its order"}
    )


@blp.route("/work-orders/<int:work_order_id>", methods=["GET"])
@blp.response(200, KittingOut)
@roles_required(*READERS)
def work_order_kitting(work_order_id: int):
    return kitting.for_work_order(work_order_id).as_dict()


@blp.route("/alerts", methods=["GET"])
@blp.arguments(AlertQuery, location="query")
@blp.response(200, KittingOut(many=True))
@roles_required(*READERS)
def alerts(query: dict):
    """Unfinished work orders starting within `days` (default 7) with kitting below 100%."""
    return [k.as_dict() for k in kitting.alert_zone(query["days"])]


@blp.route("/work-orders/<int:work_order_id>/reservations", methods=["GET"])
@blp.response(200, ReservationOut(many=True))
@roles_required(*READERS)
def list_reservations(work_order_id: int):
    return kitting.reservations_of(work_order_id)


@blp.route("/work-orders/<int:work_order_id>/reservations", methods=["POST"])
@blp.arguments(ReservationIn)
@idempotent()
@blp.response(201, ReservationOut)
@blp.alt_response(422, description="insufficient_stock, unknown_sku")
@roles_required(PLANNER, WAREHOUSE)
def reserve(body: dict, work_order_id: int):
    row = kitting.reserve(work_order_id, body["sku"], body["qty"], current_user)
    return {"id": row.id, "sku": body["sku"].strip(), "qty": row.qty, "created_at": row.created_at}


@blp.route("/reservations/<int:reservation_id>/release", methods=["POST"])
@idempotent()
@blp.response(200, ReservationOut)
@roles_required(PLANNER, WAREHOUSE)
def release(reservation_id: int):
    row = kitting.release(reservation_id, current_user)
    return {"id": row.id, "qty": row.qty, "created_at": row.created_at, "released_at": row.released_at}
