"""/api/v1/lots: material lots received from a supplier's batch, issued to work orders, and the output
lots work orders make (each a scanner move checked on site, idempotent); finding a lot by its code."""

from urllib.parse import quote

import marshmallow as ma
from flask import current_app, request
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from blueprints.access import roles_required
from blueprints.api.fields import UtcDateTime
from blueprints.api.idempotent import idempotent
from blueprints.api.paging import CursorArgs, cursor_body, cursor_page_of
from blueprints.api.stock import MOVE_REFUSALS, MoveOut, log_refused_fix
from blueprints.api.stock_schemas import GpsIn, Text, location_label_field, quantity_field, quantity_out
from domain.production.models import WorkOrder
from domain.quality import lot_service
from domain.quality.lots import Lot
from domain.roles import ADMIN, CS, LEADER, PLANNER, QC, SERVICE, VP, WAREHOUSE
from extensions import db

blp = Blueprint("api_lots", __name__, url_prefix="/lots", description="Lots: receipts, issues, output")

TRACERS = (QC, ADMIN, PLANNER, WAREHOUSE, VP, CS, SERVICE)


class ScanFields(ma.Schema):
    qty = quantity_field(required=True)
    location_label = location_label_field()
    gps = ma.fields.Nested(GpsIn, required=True)
    warehouse = Text(load_default=None, validate=ma.validate.Length(max=32))

    def scan(self, body: dict) -> lot_service.Scan:
        return lot_service.Scan(body.pop("location_label"), body.pop("gps"), body.pop("warehouse"))


class ReceiptIn(ScanFields):
    sku = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    supplier = Text(load_default="", validate=ma.validate.Length(max=100))
    supplier_lot = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    lot = Text(load_default="", validate=ma.validate.Length(max=64), metadata={"description": "default: new"})


class IssueIn(ScanFields):
    sku = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    lot = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    work_order = Text(required=True, validate=ma.validate.Length(min=1, max=32))


class OutputIn(ScanFields):
    work_order = Text(required=True, validate=ma.validate.Length(min=1, max=32))


class LotMoveOut(ma.Schema):
    lot_id = ma.fields.Integer()
    lot = Text()
    sku = Text()
    kind = Text()
    work_order = Text(allow_none=True)
    move = ma.fields.Nested(MoveOut)
    label_url = Text(metadata={"description": "what the lot's QR label holds"})


class LotQuery(CursorArgs):
    code = Text(
        load_default=None, validate=ma.validate.Length(min=1, max=64), metadata={"description": "lot code"}
    )
    sku = Text(load_default=None, metadata={"description": "SKU code"})


class LotOut(ma.Schema):
    id = ma.fields.Integer()
    code = Text()
    sku = ma.fields.Function(lambda lot: lot.sku.code)
    kind = Text()
    supplier = Text()
    work_order = ma.fields.Method("work_order_number")
    qty = quantity_out()
    created_at = UtcDateTime()

    def work_order_number(self, lot: Lot) -> str | None:
        if lot.work_order_id is None:
            return None
        return db.session.execute(select(WorkOrder.number).where(WorkOrder.id == lot.work_order_id)).scalar()


def label_url(sku: str, lot: str) -> str:
    """The lot's QR label: scanning/labels.py kind `lot`, `<base>/s/lot/<sku>/<lot>`."""
    try:
        from scanning import labels
    except ImportError:  # the label module not installed: the same payload, built here
        base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
        return f"{base.rstrip('/')}/s/lot/{quote(sku, safe='')}/{quote(lot, safe='')}"
    return labels.label_url(labels.public_base(), labels.LOT, sku, lot)


def _answer(moved: lot_service.LotMove) -> dict:
    return {**moved.__dict__, "label_url": label_url(moved.sku, moved.lot)}


@blp.route("/receipts", methods=["POST"])
@blp.arguments(ReceiptIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(201, LotMoveOut)
@blp.alt_response(422, description=MOVE_REFUSALS + ", supplier_lot_required")
@roles_required(WAREHOUSE)
def receive(body: dict):
    scan = ReceiptIn().scan(body)
    moved = lot_service.receive_material(
        body["sku"], body["qty"], body["supplier"], body["supplier_lot"], scan, current_user, lot=body["lot"]
    )
    return _answer(moved)


@blp.route("/issues", methods=["POST"])
@blp.arguments(IssueIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(201, LotMoveOut)
@blp.alt_response(422, description=MOVE_REFUSALS + ", unknown_work_order, lot_required")
@roles_required(WAREHOUSE, LEADER)
def issue(body: dict):
    scan = IssueIn().scan(body)
    moved = lot_service.issue_to_work_order(
        body["sku"], body["lot"], body["qty"], body["work_order"], scan, current_user
    )
    return _answer(moved)


@blp.route("/outputs", methods=["POST"])
@blp.arguments(OutputIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(201, LotMoveOut)
@blp.alt_response(422, description=MOVE_REFUSALS + ", unknown_work_order, no_finished_sku")
@roles_required(WAREHOUSE, LEADER)
def output(body: dict):
    scan = OutputIn().scan(body)
    return _answer(lot_service.record_output(body["work_order"], body["qty"], scan, current_user))


@blp.route("", methods=["GET"])
@blp.arguments(LotQuery, location="query")
@blp.response(200, cursor_page_of(LotOut))
@roles_required(*TRACERS)
def find_lots(query: dict):
    """Lots in the order they were made, a page at a time (a lot code may exist for several SKUs)."""
    return cursor_body(lot_service.lot_page(query["code"], query["sku"], query["limit"], query["cursor"]))
