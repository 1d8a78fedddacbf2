"""/api/v1/products: product models with standard lead time, mold and colorant."""

import marshmallow as ma
from flask_smorest import Blueprint

from blueprints.api.masterdata_routes import add_routes

blp = Blueprint("api_products", __name__, url_prefix="/products", description="Products (master data)")


class ProductOut(ma.Schema):
    id = ma.fields.Integer()
    model = ma.fields.String()
    name = ma.fields.String()
    std_lead_days = ma.fields.Integer(metadata={"description": "standard lead time in days"})
    mold = ma.fields.String()
    colorant = ma.fields.String()
    needs_first_article = ma.fields.Boolean(metadata={"description": "the first article gates output"})
    first_article_qty = ma.fields.Integer(metadata={"description": "pieces before the inspection"})
    active = ma.fields.Boolean()


add_routes(blp, "products", ProductOut)
