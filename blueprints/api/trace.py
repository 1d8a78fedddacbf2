"""/api/v1/trace: backward and forward lot trace (追溯, DESIGN §7) and defect reports on a lot, whose
answer lists every affected batch, work order, order, shipment and customer, also as an XLSX file."""

import marshmallow as ma
from flask import Response
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.fast_json import fast_json
from blueprints.api.idempotent import idempotent
from blueprints.api.lots import TRACERS
from blueprints.api.stock_schemas import Text, quantity_out
from domain.errors import NotFound
from domain.quality import defect_service, trace
from domain.quality.lots import Lot
from domain.roles import ADMIN, QC
from extensions import db

blp = Blueprint("api_trace", __name__, url_prefix="/trace", description="Lot trace and defect reports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TraceQuery(ma.Schema):
    direction = Text(load_default=trace.FORWARD, validate=ma.validate.OneOf((trace.FORWARD, trace.BACKWARD)))


class TraceLotOut(ma.Schema):
    id = ma.fields.Integer()
    code = Text()
    sku = Text()
    kind = Text(metadata={"description": "supplier, material or output"})
    supplier = Text()
    work_order = Text(allow_none=True)
    work_order_id = ma.fields.Integer(allow_none=True)
    qty = quantity_out()


class TraceWorkOrderOut(ma.Schema):
    id = ma.fields.Integer()
    number = Text()
    status = Text()
    quantity = quantity_out()
    order = Text()
    order_id = ma.fields.Integer()
    product = Text()


class TraceOrderOut(ma.Schema):
    id = ma.fields.Integer()
    number = Text()
    stage = Text()
    due_date = ma.fields.Date()
    customer_code = Text()
    customer_name = Text()
    product = Text()


class TraceLineOut(ma.Schema):
    sku = Text()
    lot = Text(allow_none=True)
    qty = quantity_out()
    serials = ma.fields.List(Text())


class TraceShipmentOut(ma.Schema):
    id = ma.fields.Integer()
    number = Text()
    ship_date = ma.fields.Date()
    order = Text()
    order_id = ma.fields.Integer()
    customer_id = ma.fields.Integer()
    customer_code = Text()
    customer_name = Text()
    lines = ma.fields.List(ma.fields.Nested(TraceLineOut))


class TraceCustomerOut(ma.Schema):
    id = ma.fields.Integer()
    code = Text()
    name = Text()


class TraceOut(ma.Schema):
    direction = Text()
    origin = ma.fields.Dict()
    lots = ma.fields.List(ma.fields.Nested(TraceLotOut))
    work_orders = ma.fields.List(ma.fields.Nested(TraceWorkOrderOut))
    orders = ma.fields.List(ma.fields.Nested(TraceOrderOut))
    shipments = ma.fields.List(ma.fields.Nested(TraceShipmentOut))
    customers = ma.fields.List(ma.fields.Nested(TraceCustomerOut))


class DefectIn(ma.Schema):
    description = Text(required=True, validate=ma.validate.Length(min=1, max=1000))
    widened = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "also every lot made from the same material lots (a material defect)"},
    )


class DefectOut(TraceOut):
    report_id = ma.fields.Integer()
    xlsx_url = Text()


def _lot(lot_id: int) -> Lot:
    lot = db.session.get(Lot, lot_id)
    if lot is None:
        raise NotFound("lot", lot_id)
    return lot


@blp.route("/lots/<int:lot_id>", methods=["GET"])
@blp.arguments(TraceQuery, location="query")
@blp.response(200, TraceOut)
@roles_required(*TRACERS)
def trace_lot(query: dict, lot_id: int):
    """forward: every lot made from it, the work orders, orders, shipments and customers it reached;
    backward: everything it was made from, down to the suppliers' lots."""
    lot = _lot(lot_id)
    walk = trace.forward_from_lots if query["direction"] == trace.FORWARD else trace.backward_from_lots
    return fast_json(walk([lot.id], trace.lot_origin(lot)).as_dict())


@blp.route("/orders/<int:order_id>", methods=["GET"])
@blp.response(200, TraceOut)
@roles_required(*TRACERS)
def trace_order(order_id: int):
    """Order → work orders → output lots → consumed material lots → suppliers' lots (and its shipments)."""
    return fast_json(trace.backward_from_order(order_id).as_dict())


@blp.route("/lots/<int:lot_id>/defects", methods=["POST"])
@blp.arguments(DefectIn)
@idempotent()
@blp.response(201, DefectOut)
@roles_required(QC, ADMIN)
def report_defect(body: dict, lot_id: int):
    """Record a defect on the lot and answer every affected batch and order in this one call."""
    report, result = defect_service.report_defect(lot_id, body["description"], body["widened"], current_user)
    xlsx_url = f"/api/v1/trace/defects/{report.id}.xlsx"
    return fast_json({**result.as_dict(), "report_id": report.id, "xlsx_url": xlsx_url}, status=201)


@blp.route("/defects/<int:report_id>.xlsx", methods=["GET"])
@blp.response(200, {"format": "binary", "type": "string"}, content_type=XLSX)
@roles_required(*TRACERS)
def defect_workbook(report_id: int):
    report, result = defect_service.get_report(report_id)
    return Response(
        defect_service.workbook(report, result),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="defect-{report_id}.xlsx"'},
    )
