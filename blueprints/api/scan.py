"""/api/v1/scan: a phone photo decoded on the server (when the camera cannot read a label live), and a
location label checked the moment it is scanned."""

import marshmallow as ma
from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.stock_schemas import Text, location_label_field
from domain.errors import DomainError
from domain.labels.reading import checked_container, read_photo
from domain.roles import ADMIN, WAREHOUSE
from domain.stock.site_check import checked_location

blp = Blueprint("api_scan", __name__, url_prefix="/scan", description="Photo decoding for the scanner")
PHOTO_MAX_BYTES = 12 * 1024 * 1024  # a 48 MP JPEG is ~10 MB; larger is not a phone photo


class ScannedLabelOut(ma.Schema):
    kind = Text(metadata={"description": "loc | sku | lot | wo | sn"})
    text = Text(metadata={"description": "the code's text as read"})
    location_id = ma.fields.Integer(metadata={"description": "loc"})
    sku = Text(metadata={"description": "sku, lot"})
    lot = Text(metadata={"description": "lot"})
    work_order = Text(metadata={"description": "wo"})
    serial = Text(metadata={"description": "sn"})


class RefusedOut(ma.Schema):
    text = Text()
    code = Text(metadata={"description": "invalid_location_label | invalid_label"})
    message = Text()


def _listed(field: ma.fields.Field, description: str) -> ma.fields.List:
    return ma.fields.List(field, metadata={"description": description})


class DecodeOut(ma.Schema):
    codes = _listed(Text(), "every code's text, labels of this app first")
    labels = _listed(ma.fields.Nested(ScannedLabelOut), "this app's labels, read")
    refused = _listed(ma.fields.Nested(RefusedOut), "labels of this app that are forged or damaged")
    others = _listed(Text(), "codes that are not labels of this app")


PHOTO_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"photo": {"type": "string", "format": "binary"}},
                "required": ["photo"],
            }
        }
    },
}


def _too_large() -> DomainError:
    mb = current_app.config.get("SCAN_PHOTO_MAX_BYTES", PHOTO_MAX_BYTES) // (1024 * 1024)
    return DomainError(
        "photo_too_large",
        _("The photo is larger than %(mb)d MB; take it again at a lower resolution.", mb=mb),
        {"photo": _("larger than %(mb)d MB", mb=mb)},
        status=413,
    )


def _photo_bytes() -> bytes:
    limit = current_app.config.get("SCAN_PHOTO_MAX_BYTES", PHOTO_MAX_BYTES)
    if (request.content_length or 0) > limit + 64 * 1024:  # refused before the upload is parsed
        raise _too_large()
    upload = request.files.get("photo")
    if upload is None:
        raise DomainError(
            "photo_required",
            _("Send the photo as the form field 'photo'."),
            {"photo": _("Missing data for required field.")},
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large()
    return data


@blp.route("/decode", methods=["POST"])
@blp.doc(requestBody=PHOTO_BODY)
@blp.response(200, DecodeOut)
@blp.alt_response(413, description="photo_too_large, image_too_large")
@blp.alt_response(415, description="not_an_image")
@blp.alt_response(422, description="no_code_found, unreadable_image, photo_required")
@roles_required()
def decode_photo():
    """Reads every code in the photo (multipart field `photo`). Read-only: no Idempotency-Key."""
    return read_photo(_photo_bytes())


class LocationLabelIn(ma.Schema):
    location_label = location_label_field()


class LocationCheckedOut(ma.Schema):
    location_id = ma.fields.Integer()
    location = Text(metadata={"description": "the location's code, as printed on the label"})
    warehouse = Text(metadata={"description": "the warehouse's code"})
    warehouse_name = Text()


@blp.route("/location", methods=["POST"])
@blp.arguments(LocationLabelIn)
@blp.response(200, LocationCheckedOut)
@blp.alt_response(422, description="invalid_location_label, location_inactive")
@roles_required(WAREHOUSE, ADMIN)
def check_location(body: dict):
    """The location a scanned label names, its signature checked: the phone asks at scan time, so a
    hand-made label is refused before anything is counted. Read-only: no Idempotency-Key."""
    place = checked_location(body["location_label"], current_user)
    return {
        "location_id": place.location_id,
        "location": place.location_code,
        "warehouse": place.warehouse_code,
        "warehouse_name": place.warehouse_name,
    }


class ContainerLabelIn(ma.Schema):
    label = Text(required=True, validate=ma.validate.Length(min=1, max=300))


class ContainerCheckedOut(ma.Schema):
    sku = Text()
    lot = Text()
    qty = Text(metadata={"description": "the quantity packed, as printed; absent on a plain lot label"})


@blp.route("/container", methods=["POST"])
@blp.arguments(ContainerLabelIn)
@blp.response(200, ContainerCheckedOut)
@blp.alt_response(422, description="invalid_quantity_label, invalid_label")
@roles_required(WAREHOUSE, ADMIN)
def check_container(body: dict):
    """A lot or container label, the signature of its quantity checked: the phone fills the quantity
    from the label at once and asks here, so a hand-written quantity is taken back at the scan.
    Read-only: no Idempotency-Key."""
    return checked_container(body["label"], current_user)
