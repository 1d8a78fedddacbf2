"""/api/v1/gantt: the planning chart's rows and operations, moving (pinning) an operation, re-planning
and inserting a rush order (preview, then apply)."""

from dataclasses import asdict
from datetime import UTC, date

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.idempotent import idempotent
from domain.roles import ADMIN, LEADER, PLANNER, VP
from domain.scheduling import gantt, replan
from domain.scheduling import settings as scheduling_settings

blp = Blueprint("api_gantt", __name__, url_prefix="/gantt", description="Production plan (Gantt)")


class GanttWindowQuery(ma.Schema):
    start = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    end = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    workshop = ma.fields.Integer(load_default=None)


class GanttMoveIn(ma.Schema):
    start = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    end = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    # Absent: the operation stays on its machine. Null only for an operation that has none (a workshop
    # without machines); taking an operation off its machine is refused.
    machine_id = ma.fields.Integer(allow_none=True)


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
    pinned = ma.fields.Boolean()
    days_late = ma.fields.Integer(metadata={"description": "days its end is past the order's due date"})


class PlanOut(ma.Schema):
    groups = ma.fields.List(ma.fields.Nested(GroupOut))
    items = ma.fields.List(ma.fields.Nested(ItemOut))
    window = ma.fields.Dict()


class PlanMoveOut(ma.Schema):
    op_id = ma.fields.Integer()
    label = ma.fields.String()
    order = ma.fields.String()
    old_machine_id = ma.fields.Function(lambda m: m.old[0])
    old_start = ma.fields.Function(lambda m: gantt.iso_utc(m.old[1]))
    old_end = ma.fields.Function(lambda m: gantt.iso_utc(m.old[2]))
    new_machine_id = ma.fields.Function(lambda m: m.new[0])
    new_start = ma.fields.Function(lambda m: gantt.iso_utc(m.new[1]))
    new_end = ma.fields.Function(lambda m: gantt.iso_utc(m.new[2]))


class OrderImpactOut(ma.Schema):
    order_id = ma.fields.Integer()
    number = ma.fields.String()
    priority = ma.fields.String()
    rush = ma.fields.Boolean()
    due_date = ma.fields.String()
    old_finish = ma.fields.Function(lambda o: gantt.iso_utc(o.old_finish))
    new_finish = ma.fields.Function(lambda o: gantt.iso_utc(o.new_finish))
    old_days_late = ma.fields.Integer()
    new_days_late = ma.fields.Integer()
    delay_hours = ma.fields.Float()


class ProposalOut(ma.Schema):
    moves = ma.fields.List(ma.fields.Nested(PlanMoveOut))
    orders = ma.fields.List(ma.fields.Nested(OrderImpactOut), metadata={"description": "finish changes"})
    delayed = ma.fields.List(ma.fields.Nested(OrderImpactOut), metadata={"description": "finish later"})
    method = ma.fields.String(metadata={"description": "cp-sat, cp-sat optimal, a dispatch rule, current"})
    seconds = ma.fields.Float()
    rush_work_order_id = ma.fields.Integer(allow_none=True)
    token = ma.fields.String(metadata={"description": "send back to apply exactly this plan"})


HHMM = ma.validate.Regexp(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$", error="HH:MM")


class SchedulingSettingsSchema(ma.Schema):
    shifts = ma.fields.List(
        ma.fields.List(ma.fields.String(validate=HHMM), validate=ma.validate.Length(equal=2)),
        validate=ma.validate.Length(min=1, max=4),
        metadata={"description": '[[start, end], …] plant time, e.g. [["08:00", "16:00"]]'},
    )
    weekdays = ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(0, 6)), metadata={"description": "0 = Monday"}
    )
    days_off = ma.fields.List(ma.fields.Date())
    frozen_hours = ma.fields.Integer(validate=ma.validate.Range(0, 168))
    mold_minutes = ma.fields.Integer(validate=ma.validate.Range(0, 1440))
    lighter_minutes = ma.fields.Integer(validate=ma.validate.Range(0, 1440))
    colour_minutes = ma.fields.Integer(validate=ma.validate.Range(0, 1440))
    time_limit_seconds = ma.fields.Float(validate=ma.validate.Range(0.5, 30))


class ApplyIn(ma.Schema):
    token = ma.fields.String(required=True)


class AppliedOut(ma.Schema):
    moved = ma.fields.Integer(metadata={"description": "0 when this plan was applied already"})


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


@blp.route("/operations/<int:op_id>/pin", methods=["DELETE"])
@blp.response(200, ItemOut)
@roles_required(PLANNER, ADMIN)
def unpin(op_id: int):
    """A moved operation is pinned (the re-plan leaves it); unpinning gives it back to the scheduler."""
    return gantt.item(gantt.unpin_operation(op_id, current_user))


@blp.route("/settings", methods=["GET"])
@blp.response(200, SchedulingSettingsSchema)
@roles_required(PLANNER, ADMIN, VP, LEADER)
def get_settings():
    """The plant calendar (two 8-hour shifts every day by default), frozen window, changeover minutes."""
    return _settings_out(scheduling_settings.load())


@blp.route("/settings", methods=["PUT"])
@blp.arguments(SchedulingSettingsSchema)
@idempotent()
@blp.response(200, SchedulingSettingsSchema)
@roles_required(PLANNER, ADMIN)
def put_settings(body: dict):
    """Change some settings; the others keep their values. Refusal: invalid_calendar."""
    if "days_off" in body:
        body["days_off"] = [day.isoformat() for day in body["days_off"]]
    return _settings_out(scheduling_settings.save(body, current_user))


def _settings_out(settings: scheduling_settings.SchedulingSettings) -> dict:
    return {**asdict(settings), "days_off": [date.fromisoformat(day) for day in settings.days_off]}


@blp.route("/replan", methods=["GET"])
@blp.response(200, ProposalOut)
@roles_required(PLANNER, ADMIN, VP)
def replan_preview():
    """The proposed plan of every open operation beside the current one; nothing is changed."""
    return replan.propose()


@blp.route("/replan", methods=["POST"])
@blp.arguments(ApplyIn)
@idempotent()
@blp.response(200, AppliedOut)
@roles_required(PLANNER, ADMIN)
def replan_apply(body: dict):
    """Apply a previewed plan in one transaction. Refusals: plan_changed (409), invalid_plan."""
    return {"moved": replan.apply(body["token"], current_user)}


@blp.route("/rush/<int:work_order_id>", methods=["GET"])
@blp.response(200, ProposalOut)
@roles_required(PLANNER, ADMIN, VP)
def rush_preview(work_order_id: int):
    """The re-plan with this approved rush work order first: `delayed` lists the orders it delays."""
    return replan.propose(rush_work_order_id=work_order_id)


@blp.route("/rush/<int:work_order_id>", methods=["POST"])
@blp.arguments(ApplyIn)
@idempotent()
@blp.response(200, AppliedOut)
@roles_required(PLANNER, ADMIN)
def rush_apply(body: dict, work_order_id: int):
    """Apply the previewed rush insertion; applying it again moves nothing."""
    return {"moved": replan.apply(body["token"], current_user, rush_work_order_id=work_order_id)}
