"""/api/v1/skus: stock-keeping units (materials, parts, finished goods) with safety stock and
how many of their unit fill one handling unit of warehouse capacity."""

import marshmallow as ma
from flask_smorest import Blueprint

from blueprints.api.masterdata_routes import add_routes, decimal_out

blp = Blueprint("api_skus", __name__, url_prefix="/skus", description="SKUs (master data)")


class SkuOut(ma.Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    unit = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "material | part | finished"})
    safety_stock = decimal_out()
    units_per_handling_unit = decimal_out(
        description="how many of `unit` fill one handling unit (pallet position or m³) of capacity"
    )
    colour = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "colour words of a colour-specific material, | between: a colour change swaps it"
        },
    )
    active = ma.fields.Boolean()


add_routes(blp, "skus", SkuOut)
