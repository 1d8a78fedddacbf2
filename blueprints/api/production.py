"""/api/v1: convert an order to production (转生产), work orders, and the team leader's task card
actions (DESIGN §4). Every phone action takes an Idempotency-Key; cards go out after the commit."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from blueprints.access import roles_required
from blueprints.api.fields import UtcDateTime
from blueprints.api.idempotent import idempotent
from blueprints.api.paging import page_body, page_of
from domain import roles
from domain.errors import NotFound
from domain.production import conversion, task_cards
from domain.production import models as m
from domain.production.card_payload import card_payload
from extensions import db

blp = Blueprint("api_production", __name__, description="Production: work orders and task cards (转生产)")

LEADERS = (roles.LEADER, roles.ADMIN)
VIEWERS = (roles.PLANNER, roles.LEADER, roles.ADMIN, roles.VP, roles.QC, roles.WAREHOUSE)


class ConvertIn(ma.Schema):
    team_id = ma.fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "default: a team of the first step's workshop"},
    )


class OperationOut(ma.Schema):
    id = ma.fields.Integer()
    seq = ma.fields.Integer()
    name = ma.fields.String()
    workshop_id = ma.fields.Integer()
    machine_id = ma.fields.Integer(allow_none=True)
    planned_start = UtcDateTime()
    planned_end = UtcDateTime()
    status = ma.fields.String()
    good_qty = ma.fields.Decimal(as_string=True)
    scrap_qty = ma.fields.Decimal(as_string=True)


class WorkOrderOut(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String(metadata={"description": "WO-YYYYMMDD-NNNN"})
    order_id = ma.fields.Integer()
    order_number = ma.fields.String(attribute="order.number")
    product_id = ma.fields.Integer()
    product_model = ma.fields.String(attribute="product.model")
    bom_version_id = ma.fields.Integer(metadata={"description": "locked at conversion"})
    quantity = ma.fields.Decimal(as_string=True)
    team_id = ma.fields.Integer()
    status = ma.fields.String(
        metadata={"description": "released | acknowledged | in_progress | finished | on_hold | cancelled"}
    )
    planned_start = UtcDateTime(allow_none=True)
    planned_end = UtcDateTime(allow_none=True)
    good_qty = ma.fields.Decimal(as_string=True)
    scrap_qty = ma.fields.Decimal(as_string=True)
    stop_reason = ma.fields.String(allow_none=True, metadata={"description": "on hold or cancelled: why"})
    created_at = UtcDateTime()


class SpecOut(ma.Schema):
    """The order's spec as it stands now: what the floor and QC work to."""

    quantity = ma.fields.Decimal(as_string=True)
    due_date = ma.fields.Date()
    flame_grade = ma.fields.String(allow_none=True)
    packaging = ma.fields.String(allow_none=True)
    color_notes = ma.fields.String(allow_none=True)


class WorkOrderDetailOut(WorkOrderOut):
    operations = ma.fields.List(ma.fields.Nested(OperationOut))
    spec = ma.fields.Nested(SpecOut, attribute="order")


class WorkOrderQuery(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(m.WORK_ORDER_STATUSES))
    order_id = ma.fields.Integer(load_default=None)
    team_id = ma.fields.Integer(load_default=None)


class TaskCardOut(ma.Schema):
    id = ma.fields.Integer()
    seq = ma.fields.Integer(metadata={"description": "1, 2, 3 … per team, in creation order"})
    team_id = ma.fields.Integer()
    status = ma.fields.String(metadata={"description": "new | acknowledged | started | finished"})
    status_label = ma.fields.String()
    title = ma.fields.String()
    product_model = ma.fields.String()
    product_id = ma.fields.Integer()
    quantity = ma.fields.String()
    due_date = ma.fields.String(allow_none=True)
    note = ma.fields.String()
    created_at = ma.fields.String()
    acknowledged_at = ma.fields.String(allow_none=True)
    started_at = ma.fields.String(allow_none=True)
    finished_at = ma.fields.String(allow_none=True)
    work_order = ma.fields.Dict()
    first_article = ma.fields.Dict(
        metadata={
            "description": "the first-article gate (DESIGN §7): required, sample_qty, status "
            "(waiting | passed | failed), may_report (good pieces left before the inspection; null "
            "when not limited), blocked (the sample is made: QC must pass the inspection)"
        }
    )
    operations = ma.fields.List(ma.fields.Dict())


class CardQuery(ma.Schema):
    after = ma.fields.Integer(
        load_default=None, metadata={"description": "only cards with a seq above this (one team only)"}
    )


class ReportIn(ma.Schema):
    good = ma.fields.Decimal(
        load_default=0, metadata={"description": "good pieces made since the last report"}
    )
    scrap = ma.fields.Decimal(load_default=0, metadata={"description": "scrap pieces since the last report"})


@blp.route("/orders/<int:order_id>/convert", methods=["POST"])
@blp.arguments(ConvertIn)
@idempotent()
@blp.response(201, WorkOrderDetailOut)
@blp.alt_response(409, description="Not a confirmed order, or no routing / active BOM / team")
@roles_required(roles.PLANNER, roles.ADMIN)
def convert(data: dict, order_id: int):
    """Convert a confirmed order to production: work order, locked BOM, operations, task card."""
    converted = conversion.convert_to_production(order_id, current_user, data["team_id"])
    return converted.work_order


@blp.route("/work-orders", methods=["GET"])
@blp.arguments(WorkOrderQuery, location="query")
@blp.response(200, page_of(WorkOrderOut))
@roles_required(*VIEWERS)
def list_work_orders(query: dict):
    statement = (
        select(m.WorkOrder)
        .options(joinedload(m.WorkOrder.order), joinedload(m.WorkOrder.product))
        .order_by(m.WorkOrder.id.desc())
    )
    for field in ("status", "order_id", "team_id"):
        if query[field] is not None:
            statement = statement.where(getattr(m.WorkOrder, field) == query[field])
    return page_body(db.paginate(statement, page=query["page"], per_page=query["per_page"], error_out=False))


@blp.route("/work-orders/<int:work_order_id>", methods=["GET"])
@blp.response(200, WorkOrderDetailOut)
@roles_required(*VIEWERS)
def get_work_order(work_order_id: int):
    work_order = db.session.execute(
        select(m.WorkOrder)
        .options(joinedload(m.WorkOrder.order), joinedload(m.WorkOrder.product))
        .options(selectinload(m.WorkOrder.operations))
        .where(m.WorkOrder.id == work_order_id)
    ).scalar_one_or_none()
    if work_order is None:
        raise NotFound("work order", work_order_id)
    return work_order


@blp.route("/task-cards", methods=["GET"])
@blp.arguments(CardQuery, location="query")
@blp.response(200, TaskCardOut(many=True))
@roles_required(*LEADERS)
def my_cards(query: dict):
    """My teams' open cards, or (with `after`) every card after that seq, in order."""
    teams = task_cards.led_team_ids(current_user)
    if query["after"] is None:
        cards = task_cards.open_cards(teams)
    else:
        cards = task_cards.cards_after(teams, dict.fromkeys(teams, query["after"]))
    return [card_payload(c) for c in cards]


def _card_action(action, card_id: int, *args):
    return card_payload(action(card_id, *args, current_user))


@blp.route("/task-cards/<int:card_id>/acknowledge", methods=["POST"])
@idempotent()
@blp.response(200, TaskCardOut)
@roles_required(*LEADERS)
def acknowledge(card_id: int):
    """已接收: the leader has seen the card."""
    return _card_action(task_cards.acknowledge, card_id)


@blp.route("/task-cards/<int:card_id>/start", methods=["POST"])
@idempotent()
@blp.response(200, TaskCardOut)
@blp.alt_response(409, description="The card is finished")
@roles_required(*LEADERS)
def start(card_id: int):
    return _card_action(task_cards.start, card_id)


@blp.route("/task-cards/<int:card_id>/report", methods=["POST"])
@blp.arguments(ReportIn)
@idempotent()
@blp.response(200, TaskCardOut)
@blp.alt_response(409, description="The card is not started, or `first_article_required`: beyond the sample")
@roles_required(*LEADERS)
def report(data: dict, card_id: int):
    """Good and scrap pieces made since the last report (added up)."""
    return _card_action(task_cards.report, card_id, task_cards.Report(data["good"], data["scrap"]))


@blp.route("/task-cards/<int:card_id>/finish", methods=["POST"])
@idempotent()
@blp.response(200, TaskCardOut)
@blp.alt_response(409, description="The card is not started")
@roles_required(*LEADERS)
def finish(card_id: int):
    return _card_action(task_cards.finish, card_id)
