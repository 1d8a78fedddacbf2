"""/api/v1/rush: rush-order requests (紧急插单, DESIGN §3.3): score with every dimension's why, automatic
opening at the threshold, the VP's decision below it, the orders it delays, and the settings."""

import marshmallow as ma
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.fields import UtcDateTime
from blueprints.api.paging import CursorArgs, cursor_body, cursor_page_of
from domain import roles
from domain.errors import DomainError
from domain.orders import rush_requests
from domain.orders import service as order_service
from domain.orders.rush_score import DIMENSIONS

blp = Blueprint("api_rush", __name__, url_prefix="/rush", description="Rush orders (紧急插单)")

READERS = (roles.SALES, roles.VP, roles.PLANNER, roles.ADMIN)


class RushAskIn(ma.Schema):
    order_id = ma.fields.Integer(required=True)
    requested_due_date = ma.fields.Date(metadata={"description": "default: the order's due date"})
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=500))
    kitting_rate_pct = ma.fields.Decimal(
        validate=ma.validate.Range(min=0, max=100),
        metadata={"description": "only used while no stock data exists to compute kitting; needs a source"},
    )
    kitting_source = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))


class DimensionOut(ma.Schema):
    key = ma.fields.String()
    score = ma.fields.Decimal(as_string=True)
    weight = ma.fields.Decimal(as_string=True)
    weighted = ma.fields.Decimal(as_string=True)
    why = ma.fields.String()


class DelayedOut(ma.Schema):
    order_id = ma.fields.Integer()
    number = ma.fields.String()
    due_date = ma.fields.String(metadata={"format": "date"})  # stored as ISO text in the snapshot
    priority = ma.fields.String()
    delay_days = ma.fields.Integer()
    new_finish = ma.fields.String(metadata={"format": "date"})


class RushOut(ma.Schema):
    id = ma.fields.Integer()
    order_id = ma.fields.Integer()
    order_number = ma.fields.String(attribute="order.number")
    status = ma.fields.String(metadata={"description": "open | pending_vp | approved | rejected"})
    reason = ma.fields.String()
    requested_due_date = ma.fields.Date()
    requested_by_id = ma.fields.Integer(allow_none=True)
    requested_at = UtcDateTime()
    composite = ma.fields.Decimal(as_string=True)
    threshold = ma.fields.Decimal(as_string=True)
    kitting_source = ma.fields.String()
    decided_by_id = ma.fields.Integer(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    decision_comment = ma.fields.String(allow_none=True)


class RushDetailOut(RushOut):
    dimensions = ma.fields.List(ma.fields.Nested(DimensionOut))
    delayed_orders = ma.fields.List(ma.fields.Nested(DelayedOut))


class RushListQuery(CursorArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(rush_requests.STATUSES))
    order_id = ma.fields.Integer()


class DecisionIn(ma.Schema):
    approve = ma.fields.Boolean(required=True)
    comment = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))


class SettingsIO(ma.Schema):
    weights = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(DIMENSIONS)), values=ma.fields.String()
    )
    rank_bands = ma.fields.List(ma.fields.List(ma.fields.String()))
    rank_floor = ma.fields.String()
    margin_bands = ma.fields.List(ma.fields.List(ma.fields.String()))
    margin_floor = ma.fields.String()
    complexity_base = ma.fields.String()
    complexity_change_penalty = ma.fields.String()
    urgency_fast_ratio = ma.fields.String()
    urgency_slow_ratio = ma.fields.String()
    urgency_fast_score = ma.fields.String()
    urgency_slow_score = ma.fields.String()
    kitting_full_rate = ma.fields.String()
    threshold = ma.fields.String()
    workday_hours = ma.fields.String()


class RushDetail:
    """The request with its explained score and the orders it delays (live while pending, else as
    recorded when the channel opened)."""

    def __init__(self, rush: rush_requests.RushRequest):
        self._rush = rush
        self.dimensions = list(rush.explained_for(current_user).dimensions)
        if rush.status == rush_requests.PENDING_VP:
            self.delayed_orders = [d.as_dict() for d in rush_requests.current_delays(rush)]
        else:
            self.delayed_orders = rush.delayed or []

    def __getattr__(self, name: str):
        return getattr(self._rush, name)


def _check_order_visible(order_id: int) -> None:
    order_service.get_order(order_id, current_user)


@blp.route("", methods=["POST"])
@blp.arguments(RushAskIn)
@blp.response(201, RushDetailOut)
@blp.alt_response(409, description="Not rushable now (stage, already rush, already waiting for the VP)")
@roles_required(roles.SALES, roles.ADMIN)
def request_rush(data: dict):
    _check_order_visible(data["order_id"])
    rush = rush_requests.request_rush(
        rush_requests.RushAsk(**data), current_user, order_service.plant_today()
    )
    return RushDetail(rush)


@blp.route("", methods=["GET"])
@blp.arguments(RushListQuery, location="query")
@blp.response(200, cursor_page_of(RushOut))
@roles_required(*READERS)
def list_requests(query: dict):
    """The newest requests first; a salesperson sees those on their own orders."""
    own = None if current_user.has_any_role(order_service.SEE_ALL_ROLES) else current_user.id
    page = rush_requests.request_page(
        query.get("status"), query.get("order_id"), own, query["limit"], query["cursor"]
    )
    return cursor_body(page)


@blp.route("/<int:request_id>", methods=["GET"])
@blp.response(200, RushDetailOut)
@roles_required(*READERS)
def get_request(request_id: int):
    rush = rush_requests.get_request(request_id)
    if not order_service.may_view(current_user, rush.order):
        raise DomainError("forbidden", _("This order belongs to another salesperson."), status=403)
    return RushDetail(rush)


@blp.route("/<int:request_id>/decision", methods=["POST"])
@blp.arguments(DecisionIn)
@blp.response(200, RushDetailOut)
@blp.alt_response(409, description="Not waiting for a decision")
@roles_required(roles.VP)
def decide(data: dict, request_id: int):
    rush = rush_requests.decide(request_id, data["approve"], data["comment"], current_user)
    return RushDetail(rush)


@blp.route("/settings", methods=["GET"])
@blp.response(200, SettingsIO)
@roles_required(*READERS)
def get_settings():
    return rush_requests.load_settings().to_dict()


@blp.route("/settings", methods=["PUT"])
@blp.arguments(SettingsIO)
@blp.response(200, SettingsIO)
@roles_required(roles.ADMIN)
def put_settings(data: dict):
    return rush_requests.save_settings(data, current_user).to_dict()
