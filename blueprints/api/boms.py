"""/api/v1/boms: BOM versions and their lines; edits only on drafts (409 bom_version_immutable)."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.fields import UtcDateTime
from blueprints.api.masterdata_routes import decimal_out
from domain import boms
from domain.masterdata import BomVersion
from domain.roles import ADMIN

blp = Blueprint("api_boms", __name__, url_prefix="/boms", description="Bills of materials, versioned")


class LineIn(ma.Schema):
    sku_id = ma.fields.Integer(metadata={"description": "the SKU by id, or give sku_code"})
    sku_code = ma.fields.String(validate=ma.validate.Length(min=1, max=64))
    qty_per = ma.fields.Decimal(required=True, metadata={"description": "per unit of product, > 0"})
    scrap_pct = ma.fields.Decimal(load_default=0, metadata={"description": "allowance in %, 0 ≤ x < 100"})

    @ma.validates_schema
    def one_sku(self, data: dict, **_kwargs) -> None:
        if ("sku_id" in data) == ("sku_code" in data):
            raise ma.ValidationError("Give either sku_id or sku_code.", "sku_code")


class LineChange(ma.Schema):
    qty_per = ma.fields.Decimal(required=True)
    scrap_pct = ma.fields.Decimal(load_default=0)


class VersionIn(ma.Schema):
    product_id = ma.fields.Integer(required=True)
    lines = ma.fields.List(ma.fields.Nested(LineIn), load_default=list)


class LinesIn(ma.Schema):
    lines = ma.fields.List(ma.fields.Nested(LineIn), required=True)


class VersionQuery(ma.Schema):
    product_id = ma.fields.Integer(required=True)


class LineOut(ma.Schema):
    id = ma.fields.Integer()
    sku_id = ma.fields.Integer()
    sku_code = ma.fields.String(attribute="sku.code")
    sku_name = ma.fields.String(attribute="sku.name")
    unit = ma.fields.String(attribute="sku.unit")
    qty_per = decimal_out(description="per unit of product")
    scrap_pct = decimal_out(description="scrap allowance in %")


class VersionOut(ma.Schema):
    id = ma.fields.Integer()
    product_id = ma.fields.Integer()
    product_model = ma.fields.String(attribute="product.model")
    version = ma.fields.Integer()
    status = ma.fields.String(metadata={"description": "draft | active | retired"})
    locked = ma.fields.Boolean(metadata={"description": "used by a work order"})
    editable = ma.fields.Method("_editable")
    created_at = UtcDateTime()
    lines = ma.fields.List(ma.fields.Nested(LineOut))

    def _editable(self, version: BomVersion) -> bool:
        return version.status == boms.DRAFT and not version.locked


def _line(data: dict) -> boms.LineInput:
    sku = data["sku_id"] if "sku_id" in data else data["sku_code"].strip()
    return boms.LineInput(sku, data["qty_per"], data["scrap_pct"])


_IMMUTABLE = "Refused with bom_version_immutable: the version is active, retired or locked"


@blp.route("", methods=["GET"])
@blp.arguments(VersionQuery, location="query")
@blp.response(200, VersionOut(many=True))
@roles_required()
def list_versions(query: dict):
    """Every version of one product, newest first."""
    return boms.versions_of(query["product_id"])


@blp.route("", methods=["POST"])
@blp.arguments(VersionIn)
@blp.response(201, VersionOut)
@roles_required(ADMIN)
def create_version(body: dict):
    """A new draft version (numbered after the product's highest)."""
    created = boms.create_version(body["product_id"], [_line(x) for x in body["lines"]], current_user)
    return boms.get_version(created.id)


@blp.route("/<int:version_id>", methods=["GET"])
@blp.response(200, VersionOut)
@roles_required()
def get_version(version_id: int):
    return boms.get_version(version_id)


@blp.route("/<int:version_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(409, description=_IMMUTABLE)
@roles_required(ADMIN)
def delete_version(version_id: int):
    """Throw away a draft."""
    boms.delete_draft(version_id, current_user)


@blp.route("/<int:version_id>/lines", methods=["PUT"])
@blp.arguments(LinesIn)
@blp.response(200, VersionOut)
@blp.alt_response(409, description=_IMMUTABLE)
@roles_required(ADMIN)
def replace_lines(body: dict, version_id: int):
    """Replace every line of a draft."""
    boms.replace_lines(version_id, [_line(x) for x in body["lines"]], current_user)
    return boms.get_version(version_id)


@blp.route("/<int:version_id>/lines", methods=["POST"])
@blp.arguments(LineIn)
@blp.response(201, VersionOut)
@blp.alt_response(409, description=_IMMUTABLE)
@roles_required(ADMIN)
def add_line(body: dict, version_id: int):
    boms.add_line(version_id, _line(body), current_user)
    return boms.get_version(version_id)


@blp.route("/<int:version_id>/lines/<int:line_id>", methods=["PATCH"])
@blp.arguments(LineChange)
@blp.response(200, VersionOut)
@blp.alt_response(409, description=_IMMUTABLE)
@roles_required(ADMIN)
def update_line(body: dict, version_id: int, line_id: int):
    boms.update_line(version_id, line_id, body["qty_per"], body["scrap_pct"], current_user)
    return boms.get_version(version_id)


@blp.route("/<int:version_id>/lines/<int:line_id>", methods=["DELETE"])
@blp.response(200, VersionOut)
@blp.alt_response(409, description=_IMMUTABLE)
@roles_required(ADMIN)
def remove_line(version_id: int, line_id: int):
    boms.remove_line(version_id, line_id, current_user)
    return boms.get_version(version_id)


@blp.route("/<int:version_id>/activate", methods=["POST"])
@blp.response(200, VersionOut)
@blp.alt_response(409, description=_IMMUTABLE)
@roles_required(ADMIN)
def activate(version_id: int):
    """Make this draft the product's active version; the previously active one is retired."""
    boms.activate(version_id, current_user)
    return boms.get_version(version_id)


@blp.route("/<int:version_id>/copy", methods=["POST"])
@blp.response(201, VersionOut)
@roles_required(ADMIN)
def copy_version(version_id: int):
    """A new draft with this version's lines."""
    created = boms.copy_version(version_id, current_user)
    return boms.get_version(created.id)
