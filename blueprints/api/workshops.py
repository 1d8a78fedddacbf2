"""/api/v1/workshops: the plant's workshops (routing steps and teams belong to one)."""

import marshmallow as ma
from flask_smorest import Blueprint

from blueprints.api.masterdata_routes import add_routes

blp = Blueprint("api_workshops", __name__, url_prefix="/workshops", description="Workshops (master data)")


class WorkshopOut(ma.Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    active = ma.fields.Boolean()


add_routes(blp, "workshops", WorkshopOut)
