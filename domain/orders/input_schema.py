"""The fields of an order as a request gives them, checked before anything is looked up: the API's
create schema (OrderCreateIn), which the order sheet import checks each row with too."""

import marshmallow as ma

from domain.orders.models import FLAME_GRADES, PRIORITIES

Text = ma.fields.String


class OrderFields(ma.Schema):
    quantity = ma.fields.Decimal(places=3, validate=ma.validate.Range(min=0, max=10**10))
    unit_price = ma.fields.Decimal(places=4, allow_none=True, validate=ma.validate.Range(min=0, max=10**9))
    price_override_reason = Text(allow_none=True, validate=ma.validate.Length(max=200))
    due_date = ma.fields.Date()
    priority = Text(validate=ma.validate.OneOf(PRIORITIES))
    flame_grade = Text(allow_none=True, validate=ma.validate.OneOf([*FLAME_GRADES, ""]))
    packaging = Text(allow_none=True, validate=ma.validate.Length(max=200))
    color_notes = Text(allow_none=True, validate=ma.validate.Length(max=500))
    original_ref = Text(allow_none=True, validate=ma.validate.Length(max=64))


class OrderCreateIn(OrderFields):
    customer_code = Text(required=True, validate=ma.validate.Length(min=1, max=32))
    product_model = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    due_date = ma.fields.Date(required=True)
