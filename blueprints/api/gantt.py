"""/api/v1/gantt: the planning chart's rows and operations, moving an operation, inserting a rush order."""

from datetime import datetime

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.idempotent import idempotent
from domain.roles import ADMIN, LEADER, PLANNER, VP
from domain.scheduling import gantt

blp = Blueprint("api_gantt", __name__, url_prefix="/gantt", description="Production plan (Gantt)")


class GanttWindowQuery(ma.Schema):
    start = ma.fields.AwareDateTime(required=True, default_timezone=gantt.UTC)
    end = ma.fields.AwareDateTime(required=True, default_timezone=gantt.UTC)
    workshop = ma.fields.Integer(load_default=None)


class GanttMoveIn(ma.Schema):
    start = ma.fields.AwareDateTime(required=True, default_timezone=gantt.UTC)
    end = ma.fields.AwareDateTime(required=True, default_timezone=gantt.UTC)
    # Absent: the operation stays on its machine. Null only for an operation that has none (a workshop
    # without machines); taking an operation off its machine is refused.
    machine_id = ma.fields.Integer(allow_none=True)


class GanttRushIn(ma.Schema):
    start = ma.fields.AwareDateTime(
        load_default=lambda: datetime.now(gantt.UTC),
        default_timezone=gantt.UTC,
        metadata={"description": "when the rush work order starts; now when not given"},
    )


class GroupOut(ma.Schema):
    id = ma.fields.String()
    content = ma.fields.String()
    nestedGroups = ma.fields.List(ma.fields.String(), allow_none=True)
    workshop_id = ma.fields.Integer()


class ItemOut(ma.Schema):
    id = ma.fields.Integer()
    group = ma.fields.String()
    start = ma.fields.String()
    end = ma.fields.String()
    content = ma.fields.String()
    work_order = ma.fields.String()
    order = ma.fields.String()
    seq = ma.fields.Integer()
    status = ma.fields.String()
    rush = ma.fields.Boolean()
    editable = ma.fields.Boolean()


class PlanOut(ma.Schema):
    groups = ma.fields.List(ma.fields.Nested(GroupOut))
    items = ma.fields.List(ma.fields.Nested(ItemOut))
    window = ma.fields.Dict()


class PushedOut(ma.Schema):
    op_id = ma.fields.Integer()
    old_start = ma.fields.Function(lambda p: gantt.iso_utc(p.old_start))
    new_start = ma.fields.Function(lambda p: gantt.iso_utc(p.new_start))
    new_end = ma.fields.Function(lambda p: gantt.iso_utc(p.new_end))


class RushImpactOut(ma.Schema):
    inserted = ma.fields.List(ma.fields.Dict())
    pushed = ma.fields.List(ma.fields.Nested(PushedOut))


@blp.route("", methods=["GET"])
@blp.arguments(GanttWindowQuery, location="query")
@blp.response(200, PlanOut)
@roles_required(PLANNER, ADMIN, VP, LEADER)
def plan(query: dict):
    window = gantt.Window.of(query["start"], query["end"])
    return gantt.plan(window, query["workshop"])


@blp.route("/operations/<int:op_id>", methods=["PATCH"])
@blp.arguments(GanttMoveIn)
@idempotent()
@blp.response(200, ItemOut)
@roles_required(PLANNER, ADMIN)
def move(body: dict, op_id: int):
    """Refusals: machine_overlap, operation_order (409), wrong_workshop, unknown_machine, machine_required,
    invalid_interval. Without `machine_id` the operation keeps its machine."""
    machine_id = body.get("machine_id", gantt.KEEP_MACHINE)
    op = gantt.move_operation(op_id, body["start"], body["end"], machine_id, current_user)
    return gantt.item(op)


@blp.route("/rush/<int:work_order_id>", methods=["GET"])
@blp.arguments(GanttRushIn, location="query")
@blp.response(200, RushImpactOut)
@roles_required(PLANNER, ADMIN, VP)
def rush_impact(query: dict, work_order_id: int):
    """What inserting this rush work order at `start` pushes later (nothing is changed)."""
    inserted, pushed = gantt.rush_impact(work_order_id, query["start"])
    slots = [
        {"op_id": s.op_id, "start": gantt.iso_utc(s.start), "end": gantt.iso_utc(s.end)} for s in inserted
    ]
    return {"inserted": slots, "pushed": pushed}


@blp.route("/rush/<int:work_order_id>", methods=["POST"])
@blp.arguments(GanttRushIn)
@idempotent()
@blp.response(200, RushImpactOut)
@roles_required(PLANNER, ADMIN)
def insert_rush(body: dict, work_order_id: int):
    pushed = gantt.insert_rush(work_order_id, body["start"], current_user)
    return {"inserted": [], "pushed": pushed}
