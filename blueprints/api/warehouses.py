"""/api/v1/warehouses: warehouses with capacity and their geofence as GeoJSON in and out."""

import marshmallow as ma
from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.masterdata_routes import decimal_out
from blueprints.api.paging import ListArgs, page_body, page_of
from domain import warehouses
from domain.errors import DomainError
from domain.masterdata import Warehouse
from domain.roles import ADMIN

blp = Blueprint("api_warehouses", __name__, url_prefix="/warehouses", description="Warehouses and geofences")

GEOJSON = "application/geo+json"


class GeoJsonIn(ma.Schema):
    """A GeoJSON Polygon, a Feature with one, or a FeatureCollection of exactly one (lon/lat)."""

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(required=True, metadata={"example": "Polygon"})


class WarehouseIn(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    address = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    capacity = ma.fields.Decimal(
        load_default=0, metadata={"description": "handling units (pallet positions); 0 = not limited"}
    )
    active = ma.fields.Boolean(load_default=True)
    fence = ma.fields.Dict(
        allow_none=True, load_default=None, metadata={"description": "GeoJSON Polygon or Feature"}
    )


class WarehouseChange(ma.Schema):
    code = ma.fields.String(validate=ma.validate.Length(min=1, max=32))
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    address = ma.fields.String(validate=ma.validate.Length(max=300))
    capacity = ma.fields.Decimal()
    active = ma.fields.Boolean()


class WarehouseOut(ma.Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    address = ma.fields.String()
    capacity = decimal_out(description="handling units (see handling_unit); 0 = not limited")
    handling_unit = ma.fields.String(metadata={"description": "pallet (pallet positions) or m3"})
    active = ma.fields.Boolean()
    has_fence = ma.fields.Method("_has_fence")

    def _has_fence(self, warehouse: Warehouse) -> bool:
        return warehouse.fence is not None


class FeatureOut(ma.Schema):
    type = ma.fields.String(metadata={"example": "Feature"})
    geometry = ma.fields.Dict(metadata={"description": "GeoJSON Polygon, lon/lat"})
    properties = ma.fields.Dict(metadata={"description": "code and name of the warehouse"})


def _changed(warehouse: Warehouse, body: dict) -> warehouses.WarehouseInput:
    """A partial change on top of the warehouse as it is."""
    return warehouses.WarehouseInput(
        code=body.get("code", warehouse.code),
        name=body.get("name", warehouse.name),
        address=body.get("address", warehouse.address),
        capacity=body.get("capacity", warehouse.capacity),
        active=body.get("active", warehouse.active),
    )


def _feature_response(warehouse: Warehouse):
    response = jsonify(warehouses.fence_geojson(warehouse))
    response.mimetype = GEOJSON
    return response


@blp.route("", methods=["GET"])
@blp.arguments(ListArgs, location="query")
@blp.response(200, page_of(WarehouseOut))
@roles_required()
def list_warehouses(args: dict):
    """Paged, by code; ?q= looks in code, name and address; ?active= filters."""
    return page_body(warehouses.warehouse_page(args["q"], args["active"], args["page"], args["per_page"]))


@blp.route("", methods=["POST"])
@blp.arguments(WarehouseIn)
@blp.response(201, WarehouseOut)
@roles_required(ADMIN)
def create_warehouse(body: dict):
    fence = body.pop("fence")
    return warehouses.create_warehouse(warehouses.WarehouseInput(**body), fence, current_user)


@blp.route("/<int:warehouse_id>", methods=["GET"])
@blp.response(200, WarehouseOut)
@roles_required()
def get_warehouse(warehouse_id: int):
    return warehouses.get_warehouse(warehouse_id)


@blp.route("/<int:warehouse_id>", methods=["PATCH"])
@blp.arguments(WarehouseChange)
@blp.response(200, WarehouseOut)
@roles_required(ADMIN)
def update_warehouse(body: dict, warehouse_id: int):
    current = warehouses.get_warehouse(warehouse_id)
    return warehouses.update_warehouse(warehouse_id, _changed(current, body), current_user)


@blp.route("/<int:warehouse_id>/fence", methods=["GET"])
@blp.response(200, FeatureOut, content_type=GEOJSON)
@blp.alt_response(404, description="No such warehouse, or it has no fence yet (fence_not_set)")
@roles_required()
def get_fence(warehouse_id: int):
    """The fence as a GeoJSON Feature with the warehouse's code and name in `properties`."""
    warehouse = warehouses.get_warehouse(warehouse_id)
    if warehouse.fence is None:
        raise DomainError(
            "fence_not_set", _("Warehouse %(code)s has no fence yet.", code=warehouse.code), status=404
        )
    return _feature_response(warehouse)


@blp.route("/<int:warehouse_id>/fence", methods=["PUT"])
@blp.arguments(GeoJsonIn)
@blp.response(200, FeatureOut, content_type=GEOJSON)
@roles_required(ADMIN)
def put_fence(body: dict, warehouse_id: int):
    """Replace the fence; the polygon is validated (closed, simple, in range, at most 50 km across)."""
    return _feature_response(warehouses.set_fence(warehouse_id, body, current_user))


@blp.route("/<int:warehouse_id>/fence", methods=["DELETE"])
@blp.response(204)
@roles_required(ADMIN)
def delete_fence(warehouse_id: int):
    warehouses.set_fence(warehouse_id, None, current_user)
