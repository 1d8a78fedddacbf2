"""/api/v1/customers: customers (code, name, address, position, blocked flag, 12-month purchases)."""

import marshmallow as ma
from flask_smorest import Blueprint

from blueprints.api.masterdata_routes import add_routes, decimal_out

blp = Blueprint("api_customers", __name__, url_prefix="/customers", description="Customers (master data)")


class CustomerOut(ma.Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    address = ma.fields.String()
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    blocked = ma.fields.Boolean()
    purchase_12m = decimal_out()
    active = ma.fields.Boolean()


add_routes(blp, "customers", CustomerOut)
