"""/api/v1/quality: inspection checklists per product, first-article and final inspections of a work
order (with photos), and the first-pass yield (DESIGN §7)."""

from datetime import timedelta
from pathlib import Path

import marshmallow as ma
from flask import current_app, send_file
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.fields import UtcDateTime
from blueprints.api.idempotent import idempotent
from domain.clock import utcnow
from domain.errors import NotFound
from domain.masterdata import Product
from domain.orders import service as order_service
from domain.quality import inspection_service as inspections
from domain.quality.first_pass_yield import GROUPINGS, first_pass_yield
from domain.quality.inspections import FINAL, INSPECTION_KINDS, ITEM_METHODS, InspectionPhoto
from domain.roles import ADMIN, LEADER, PLANNER, QC, VP
from extensions import db

blp = Blueprint(
    "api_quality", __name__, url_prefix="/quality", description="Inspections and first-pass yield"
)

Text = ma.fields.String
READERS = (QC, ADMIN, PLANNER, LEADER, VP)


def photo_dir() -> Path:
    root = current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    return Path(root) / "inspections"


class ChecklistItemIn(ma.Schema):
    name = Text(required=True, validate=ma.validate.Length(min=1, max=100))
    method = Text(load_default="measure", validate=ma.validate.OneOf(ITEM_METHODS))
    nominal = ma.fields.Decimal(load_default=None, allow_none=True)
    tol_minus = ma.fields.Decimal(load_default=None, allow_none=True)
    tol_plus = ma.fields.Decimal(load_default=None, allow_none=True)
    unit = Text(load_default="", validate=ma.validate.Length(max=16))
    first_article = ma.fields.Boolean(load_default=True)
    final = ma.fields.Boolean(load_default=True)


class ChecklistIn(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(ChecklistItemIn), required=True, validate=ma.validate.Length(max=100)
    )


class ChecklistItemOut(ChecklistItemIn):
    id = ma.fields.Integer()
    seq = ma.fields.Integer()
    nominal = ma.fields.Decimal(as_string=True, allow_none=True)
    tol_minus = ma.fields.Decimal(as_string=True, allow_none=True)
    tol_plus = ma.fields.Decimal(as_string=True, allow_none=True)


class ChecklistOut(ma.Schema):
    product_id = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(ChecklistItemOut))


class InspectionIn(ma.Schema):
    kind = Text(required=True, validate=ma.validate.OneOf(INSPECTION_KINDS))
    answers = ma.fields.Dict(
        keys=Text(),
        values=ma.fields.Raw(allow_none=True),
        required=True,
        metadata={"description": 'item_<id> → a measured number, or "pass"/"fail" for a visual check'},
    )
    note = Text(load_default="", validate=ma.validate.Length(max=500))


class InspectionResultOut(ma.Schema):
    name = Text()
    method = Text()
    nominal = ma.fields.Decimal(as_string=True, allow_none=True)
    tol_minus = ma.fields.Decimal(as_string=True, allow_none=True)
    tol_plus = ma.fields.Decimal(as_string=True, allow_none=True)
    unit = Text()
    measured = ma.fields.Decimal(as_string=True, allow_none=True)
    checked_ok = ma.fields.Boolean(allow_none=True)
    passed = ma.fields.Boolean()


class InspectionPhotoOut(ma.Schema):
    id = ma.fields.Integer()
    filename = Text()
    content_type = Text()
    size = ma.fields.Integer()


class InspectionOut(ma.Schema):
    id = ma.fields.Integer()
    work_order_id = ma.fields.Integer()
    kind = Text()
    attempt = ma.fields.Integer()
    passed = ma.fields.Boolean()
    note = Text()
    at = UtcDateTime()
    inspector = ma.fields.Function(lambda i: i.inspector.username if i.inspector else None)
    results = ma.fields.List(ma.fields.Nested(InspectionResultOut))
    photos = ma.fields.List(ma.fields.Nested(InspectionPhotoOut))


class InspectionPhotoIn(ma.Schema):
    photo = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class YieldQuery(ma.Schema):
    by = Text(load_default="month", validate=ma.validate.OneOf(GROUPINGS))
    kind = Text(load_default=FINAL, validate=ma.validate.OneOf(INSPECTION_KINDS))
    months = ma.fields.Integer(load_default=12, validate=ma.validate.Range(min=1, max=120))


class YieldOut(ma.Schema):
    key = Text(metadata={"description": "YYYY-MM, product model or workshop code"})
    first_pass = ma.fields.Integer()
    inspected = ma.fields.Integer()
    rate = ma.fields.Decimal(as_string=True)


@blp.route("/checklists/<int:product_id>", methods=["GET"])
@blp.response(200, ChecklistOut)
@roles_required(*READERS)
def get_checklist(product_id: int):
    if db.session.get(Product, product_id) is None:
        raise NotFound("product", product_id)
    return {"product_id": product_id, "items": inspections.checklist_items(product_id)}


@blp.route("/checklists/<int:product_id>", methods=["PUT"])
@blp.arguments(ChecklistIn)
@blp.response(200, ChecklistOut)
@roles_required(QC, ADMIN)
def put_checklist(body: dict, product_id: int):
    inspections.save_checklist(product_id, body["items"], current_user)
    return {"product_id": product_id, "items": inspections.checklist_items(product_id)}


@blp.route("/work-orders/<int:work_order_id>/inspections", methods=["GET"])
@blp.response(200, InspectionOut(many=True))
@roles_required(*READERS)
def list_inspections(work_order_id: int):
    inspections.work_order(work_order_id)
    return inspections.inspections_of(work_order_id)


@blp.route("/work-orders/<int:work_order_id>/inspections", methods=["POST"])
@blp.arguments(InspectionIn)
@idempotent()
@blp.response(201, InspectionOut)
@blp.alt_response(422, description="inspection_incomplete (fields name each item), no_checklist")
@roles_required(QC)
def record_inspection(body: dict, work_order_id: int):
    return inspections.record_inspection(
        work_order_id, body["kind"], body["answers"], current_user, body["note"]
    )


@blp.route("/inspections/<int:inspection_id>", methods=["GET"])
@blp.response(200, InspectionOut)
@roles_required(*READERS)
def get_inspection(inspection_id: int):
    return inspections.get_inspection(inspection_id)


@blp.route("/inspections/<int:inspection_id>/photos", methods=["POST"])
@blp.arguments(InspectionPhotoIn, location="files")
@idempotent()
@blp.response(201, InspectionPhotoOut)
@blp.alt_response(413, description="Larger than 8 MB")
@blp.alt_response(415, description="Not a PNG or JPEG by content")
@roles_required(QC)
def add_photo(files: dict, inspection_id: int):
    upload = files["photo"]
    return inspections.add_photo(inspection_id, upload.stream, upload.filename, photo_dir(), current_user)


@blp.route("/inspections/<int:inspection_id>/photos/<int:photo_id>", methods=["GET"])
@roles_required(*READERS)
def get_photo(inspection_id: int, photo_id: int):
    photo = db.session.get(InspectionPhoto, photo_id)
    if photo is None or photo.inspection_id != inspection_id:
        raise NotFound("photo", photo_id)
    response = send_file(
        inspections.photo_path(photo, photo_dir()),
        mimetype=photo.content_type,
        download_name=photo.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.route("/first-pass-yield", methods=["GET"])
@blp.arguments(YieldQuery, location="query")
@blp.response(200, YieldOut(many=True))
@roles_required(QC, ADMIN, PLANNER, VP)
def get_first_pass_yield(query: dict):
    """直通率: the share of work orders whose first inspection of `kind` passed, per month (of that
    inspection, plant time), product or workshop, over the last `months` months."""
    since = utcnow() - timedelta(days=31 * query["months"])
    attempts = inspections.yield_attempts(query["kind"], since, order_service.plant_month)
    rows = first_pass_yield(attempts, by=query["by"])
    return [
        {"key": r.key, "first_pass": r.first_pass, "inspected": r.inspected, "rate": r.rate} for r in rows
    ]
