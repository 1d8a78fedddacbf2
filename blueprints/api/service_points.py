"""/api/v1/service-points: after-sales service points with their position and spare-parts warehouse."""

import marshmallow as ma
from flask_smorest import Blueprint

from blueprints.api.masterdata_routes import add_routes

blp = Blueprint(
    "api_service_points", __name__, url_prefix="/service-points", description="Service points (master data)"
)


class ServicePointOut(ma.Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    address = ma.fields.String()
    lat = ma.fields.Float()
    lon = ma.fields.Float()
    warehouse_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()


add_routes(blp, "service-points", ServicePointOut)
