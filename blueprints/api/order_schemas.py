"""Request and response shapes of the order API (DESIGN §3), shared by the orders and rush resources."""

import marshmallow as ma
from flask_login import current_user

from blueprints.api.fields import UtcDateTime
from domain import roles
from domain.orders.input_schema import OrderCreateIn, OrderFields  # noqa: F401  (served as the API's)
from domain.orders.models import PRIORITIES
from domain.stage_machine import ON_HOLD, STAGES, allowed_next

Text = ma.fields.String
PRICE_NOTE = {"description": "only for sales, VP, admin and customer service (roles.PRICE_ROLES)"}


class Extended:
    """An object plus extra attributes, for a schema to read as one (e.g. an order and its change id)."""

    def __init__(self, base, **extra):
        self._base = base
        self.__dict__.update(extra)

    def __getattr__(self, name: str):
        return getattr(self._base, name)


class OrderPatchIn(OrderFields):
    customer_code = Text(validate=ma.validate.Length(min=1, max=32))
    product_model = Text(validate=ma.validate.Length(min=1, max=64))
    note = Text(
        load_default="",
        validate=ma.validate.Length(max=2000),
        metadata={"description": "what the customer asked for; shown with the change record"},
    )


class OrderOut(ma.Schema):
    id = ma.fields.Integer()
    number = Text()
    stage = Text()
    customer_code = Text(attribute="customer.code")
    customer_name = Text(attribute="customer.name")
    product_model = Text(attribute="product.model")
    product_name = Text(attribute="product.name")
    quantity = ma.fields.Decimal(as_string=True)
    unit_price = ma.fields.Decimal(
        as_string=True,
        allow_none=True,
        metadata=PRICE_NOTE,
    )
    price_override_reason = Text(allow_none=True, metadata=PRICE_NOTE)
    due_date = ma.fields.Date()
    priority = Text()
    flame_grade = Text(allow_none=True)
    packaging = Text(allow_none=True)
    color_notes = Text(allow_none=True)
    original_ref = Text(allow_none=True)
    is_rush = ma.fields.Boolean()
    held_from = Text(allow_none=True, metadata={"description": "while on hold: the stage it resumes to"})
    stop_reason = Text(allow_none=True, metadata={"description": "why it was last held or cancelled"})
    created_by_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    next_stages = ma.fields.Method("_next", metadata={"description": "stages the order may move to"})

    def _next(self, order) -> list[str]:
        after_hold = [order.held_from] if order.stage == ON_HOLD and order.held_from else []
        return sorted({*allowed_next(order.stage), *after_hold}, key=STAGES.index)

    @ma.post_dump
    def _prices_for_price_roles(self, data: dict, **kwargs) -> dict:
        """Unit price, override reason and list price only for the roles that deal in prices."""
        if not roles.sees_prices(current_user):
            for name in roles.PRICE_FIELDS:
                data.pop(name, None)
        return data


class OrderSaved(OrderOut):
    change_id = ma.fields.Integer(allow_none=True, metadata={"description": "the change record, if any"})


class FailedRule(ma.Schema):
    code = Text()
    field = Text()
    message = Text()


class DrawingOut(ma.Schema):
    id = ma.fields.Integer()
    filename = Text()
    content_type = Text()
    size = ma.fields.Integer()
    sha256 = Text()
    uploaded_at = UtcDateTime()
    change_id = ma.fields.Integer(allow_none=True)


class StageEventOut(ma.Schema):
    from_stage = Text(allow_none=True)
    to_stage = Text()
    at = UtcDateTime()
    user_id = ma.fields.Integer(allow_none=True)
    user = Text(allow_none=True)
    reason = Text(allow_none=True, metadata={"description": "why it was held or cancelled"})


class OrderDetailOut(OrderOut):
    list_price = ma.fields.Decimal(
        as_string=True,
        allow_none=True,
        metadata=PRICE_NOTE,
    )
    drawing = ma.fields.Nested(DrawingOut, allow_none=True)
    failed_rules = ma.fields.List(ma.fields.Nested(FailedRule))
    stage_events = ma.fields.List(ma.fields.Nested(StageEventOut))


class OrderQuery(ma.Schema):
    stage = Text(validate=ma.validate.OneOf(STAGES))
    priority = Text(validate=ma.validate.OneOf(PRIORITIES))
    customer_code = Text(validate=ma.validate.Length(max=32))
    product_model = Text(validate=ma.validate.Length(max=64))
    number = Text(validate=ma.validate.Length(max=32), metadata={"description": "prefix of the number"})
    q = Text(
        validate=ma.validate.Length(max=64),
        metadata={
            "description": "search: any part of the number or PO, customer code, name, pinyin or its "
            "initials, product model; best matches first"
        },
    )
    due_from = ma.fields.Date()
    due_to = ma.fields.Date()
    rush = ma.fields.Boolean()
    sort = Text(
        load_default="due_date",
        validate=ma.validate.OneOf(
            ["due_date", "-due_date", "created_at", "-created_at", "number", "-number"]
        ),
    )
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))
    cursor = Text(
        validate=ma.validate.Length(max=200), metadata={"description": "next_cursor of the last page"}
    )


class OrderPageOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(OrderOut))
    total = ma.fields.Integer()
    next_cursor = Text(allow_none=True)


class TransitionIn(ma.Schema):
    to = Text(required=True, validate=ma.validate.OneOf(STAGES))
    reason = Text(
        load_default=None,
        validate=ma.validate.Length(max=500),
        metadata={
            "description": "required to put on hold or cancel: shown on the order, cards and transfers"
        },
    )


class StopIn(ma.Schema):
    reason = Text(required=True, validate=ma.validate.Length(min=1, max=500))


class ImpactOut(ma.Schema):
    work_orders_to_cancel = ma.fields.List(Text())
    work_orders_to_hold = ma.fields.List(Text())
    cards = ma.fields.Integer()
    reservations = ma.fields.Integer()
    transfers = ma.fields.List(Text())
    allowed = ma.fields.Boolean(metadata={"description": "whether this user may do it"})


class ImpactQuery(ma.Schema):
    action = Text(load_default="cancel", validate=ma.validate.OneOf(("cancel", "hold")))


class DrawingUploadIn(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class MonthRateOut(ma.Schema):
    month = Text()
    submissions = ma.fields.Integer()
    with_missing = ma.fields.Integer()
    rate = ma.fields.Float()


class MonthsQuery(ma.Schema):
    months = ma.fields.Integer(load_default=12, validate=ma.validate.Range(min=1, max=60))
