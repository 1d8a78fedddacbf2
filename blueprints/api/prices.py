"""/api/v1/prices: the price list, one unit price and cost per customer × product; read by the roles
that deal in prices, written by admin."""

import marshmallow as ma
from flask_smorest import Blueprint

from blueprints.api.masterdata_routes import add_routes, decimal_out
from domain.roles import PRICE_ROLES

blp = Blueprint("api_prices", __name__, url_prefix="/prices", description="Price list (master data)")


class PriceListEntryOut(ma.Schema):
    id = ma.fields.Integer()
    customer_id = ma.fields.Integer()
    customer_code = ma.fields.String(attribute="customer.code", dump_only=True)
    product_id = ma.fields.Integer()
    product_model = ma.fields.String(attribute="product.model", dump_only=True)
    unit_price = decimal_out()
    unit_cost = decimal_out()
    currency = ma.fields.String()
    active = ma.fields.Boolean()


add_routes(blp, "prices", PriceListEntryOut, readers=PRICE_ROLES)
