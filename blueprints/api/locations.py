"""/api/v1/locations: storage locations (bins) inside a warehouse; codes are unique per warehouse."""

import marshmallow as ma
from flask_smorest import Blueprint

from blueprints.api.masterdata_routes import add_routes

blp = Blueprint("api_locations", __name__, url_prefix="/locations", description="Locations (master data)")


class LocationOut(ma.Schema):
    id = ma.fields.Integer()
    warehouse_id = ma.fields.Integer()
    warehouse_code = ma.fields.String(attribute="warehouse.code", dump_only=True)
    code = ma.fields.String()
    name = ma.fields.String()
    active = ma.fields.Boolean()


add_routes(blp, "locations", LocationOut)
