"""Request and response shapes of the service ticket API (/api/v1/service)."""

import marshmallow as ma

from blueprints.api.fields import UtcDateTime
from blueprints.api.paging import CursorArgs
from blueprints.api.stock_schemas import GpsIn, Text, quantity_field, quantity_out
from domain.service import states

ROLE_NOTE = "customer service (cs) opens, assigns and closes; the assigned technician (service) works"


class TicketIn(ma.Schema):
    serial = Text(
        required=True,
        validate=ma.validate.Length(min=1, max=300),
        metadata={"description": "the serial, or the scanned label <base>/s/sn/<serial>"},
    )
    fault_description = Text(required=True, validate=ma.validate.Length(min=1, max=2000))
    customer = Text(
        load_default=None,
        validate=ma.validate.Length(max=32),
        metadata={"description": "customer code; default: the serial's customer"},
    )
    product = Text(
        load_default=None,
        validate=ma.validate.Length(max=64),
        metadata={"description": "product model, for a serial the plant has no record of"},
    )
    order = Text(
        load_default=None, validate=ma.validate.Length(max=32), metadata={"description": "order number"}
    )
    ship_date = ma.fields.Date(load_default=None)
    service_point = Text(
        load_default=None,
        validate=ma.validate.Length(max=32),
        metadata={"description": "code; default: the nearest to the customer"},
    )


class TicketQuery(CursorArgs):
    state = Text(load_default=None, validate=ma.validate.OneOf((*states.STATES, "active")))
    mine = ma.fields.Boolean(load_default=False, metadata={"description": "only tickets assigned to me"})
    q = Text(load_default="", validate=ma.validate.Length(max=64))
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))


class AssignIn(ma.Schema):
    technician = Text(
        required=True,
        validate=ma.validate.Length(min=1, max=64),
        metadata={"description": "username of a service technician"},
    )
    note = Text(load_default="", validate=ma.validate.Length(max=500))


class ArriveIn(ma.Schema):
    gps = ma.fields.Nested(GpsIn, load_default=None)


class PartIn(ma.Schema):
    sku = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    qty = quantity_field(required=True)


class WorkIn(ma.Schema):
    diagnosis = Text(load_default=None, validate=ma.validate.Length(max=2000))
    parts = ma.fields.List(ma.fields.Nested(PartIn), load_default=list, validate=ma.validate.Length(max=20))
    service_point = Text(
        load_default=None,
        validate=ma.validate.Length(max=32),
        metadata={"description": "where the parts come from; default: the ticket's point"},
    )
    serial = Text(
        load_default=None,
        validate=ma.validate.Length(max=300),
        metadata={"description": "the unit's label as scanned on site: must be the ticket's serial"},
    )
    gps = ma.fields.Nested(GpsIn, load_default=None)


class PhotoIn(ma.Schema):
    data = Text(required=True, metadata={"description": "the image, base64 (JPEG, PNG or WebP, ≤ 8 MB)"})
    caption = Text(load_default="", validate=ma.validate.Length(max=200))


class CloseIn(ma.Schema):
    rating = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=5))
    comment = Text(load_default="", validate=ma.validate.Length(max=500))


class WarrantyOut(ma.Schema):
    status = Text(metadata={"description": "in_warranty | expired | unknown"})
    until = ma.fields.Date(allow_none=True)
    days_left = ma.fields.Integer(allow_none=True)


class PartUseOut(ma.Schema):
    sku = ma.fields.Function(lambda p: p.sku.code)
    name = ma.fields.Function(lambda p: p.sku.name)
    qty = quantity_out()
    stock_move_id = ma.fields.Integer(allow_none=True)
    at = UtcDateTime()


class EventOut(ma.Schema):
    from_state = Text(allow_none=True)
    to_state = Text()
    note = Text()
    at = UtcDateTime()
    user_id = ma.fields.Integer(allow_none=True)


class TicketOut(ma.Schema):
    id = ma.fields.Integer()
    number = Text()
    state = Text()
    serial = Text()
    customer = ma.fields.Function(lambda t: t.customer.code)
    customer_name = ma.fields.Function(lambda t: t.customer.name)
    product = ma.fields.Function(lambda t: t.product.model if t.product else None)
    order = ma.fields.Function(lambda t: t.order.number if t.order else None)
    ship_date = ma.fields.Date(allow_none=True)
    warranty_months = ma.fields.Integer()
    fault_description = Text()
    diagnosis = Text()
    assigned_to = ma.fields.Function(lambda t: t.assigned_to.username if t.assigned_to else None)
    service_point = ma.fields.Function(lambda t: t.service_point.code if t.service_point else None)
    rating = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    resolved_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    parts = ma.fields.List(ma.fields.Nested(PartUseOut))
    photos = ma.fields.Function(lambda t: [p.id for p in t.photos])
    events = ma.fields.List(ma.fields.Nested(EventOut))


class TicketListOut(TicketOut):
    """A list row: the ticket without its parts, photos and events (one query for the whole list)."""

    class Meta:
        exclude = ("parts", "photos", "events")


class HistoryPartOut(ma.Schema):
    sku = Text()
    name = Text()
    qty = quantity_out()


class HistoryOut(ma.Schema):
    id = ma.fields.Integer()
    number = Text()
    state = Text()
    created_at = UtcDateTime()
    resolved_at = UtcDateTime(allow_none=True)
    fault_description = Text()
    diagnosis = Text()
    parts = ma.fields.List(ma.fields.Nested(HistoryPartOut))
    rating = ma.fields.Integer(allow_none=True)


class EvidenceOut(ma.Schema):
    ref = Text(metadata={"description": "the past ticket's number"})
    similarity = ma.fields.Float()
    description = Text()


class RecommendationOut(ma.Schema):
    sku = Text()
    name = Text()
    score = ma.fields.Float()
    basis = Text(
        metadata={"description": "similar (past tickets) | model (most used for the model) | overall"}
    )
    uses = ma.fields.Integer()
    evidence = ma.fields.List(ma.fields.Nested(EvidenceOut))


class PointOut(ma.Schema):
    code = Text()
    name = Text()
    address = Text()
    distance_km = ma.fields.Float(allow_none=True)
    stock = ma.fields.Dict(keys=Text(), values=ma.fields.Decimal(as_string=True))
    holds = ma.fields.Integer()
    holds_all = ma.fields.Boolean()


class TicketDetailOut(TicketOut):
    warranty = ma.fields.Nested(WarrantyOut)
    history = ma.fields.List(ma.fields.Nested(HistoryOut))
    recommendations = ma.fields.List(ma.fields.Nested(RecommendationOut))
    service_points = ma.fields.List(ma.fields.Nested(PointOut))


class SerialOut(ma.Schema):
    serial = Text()
    known = ma.fields.Boolean()
    shipped = ma.fields.Boolean(metadata={"description": "known from a shipment record (else an old ticket)"})
    customer = Text(allow_none=True)
    customer_name = Text(allow_none=True)
    product = Text(allow_none=True)
    order = Text(allow_none=True)
    ship_date = ma.fields.Date(allow_none=True)
    warranty = ma.fields.Nested(WarrantyOut)
    history = ma.fields.List(ma.fields.Nested(HistoryOut))


class AdviceQuery(ma.Schema):
    description = Text(required=True, validate=ma.validate.Length(min=1, max=2000))
    product = Text(load_default=None, validate=ma.validate.Length(max=64))
    customer = Text(
        load_default=None,
        validate=ma.validate.Length(max=32),
        metadata={"description": "customer code: service points are ranked by distance from it"},
    )


class AdviceOut(ma.Schema):
    recommendations = ma.fields.List(ma.fields.Nested(RecommendationOut))
    service_points = ma.fields.List(ma.fields.Nested(PointOut))


class ModelRepairsOut(ma.Schema):
    model = Text()
    name = Text()
    repairs = ma.fields.Integer()
    by_age = ma.fields.Dict(
        keys=Text(),
        values=ma.fields.Integer(),
        metadata={"description": "months since shipment bucket → repairs"},
    )
    shipped = ma.fields.Integer(allow_none=True)
    rate = ma.fields.Float(allow_none=True, metadata={"description": "repairs per shipped unit"})
    share = ma.fields.Float()
    early = ma.fields.Integer(metadata={"description": "repairs within 6 months of shipment"})
    cluster = ma.fields.Boolean(metadata={"description": "faults cluster on this model"})


class AnalyticsQuery(ma.Schema):
    since = ma.fields.Date(load_default=None)


class AnalyticsOut(ma.Schema):
    since = ma.fields.Date(allow_none=True)
    total = ma.fields.Integer()
    buckets = ma.fields.List(Text())
    models = ma.fields.List(ma.fields.Nested(ModelRepairsOut))
