"""/api/v1/routings/<product_id>: a product's operations in order, each in a workshop."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.masterdata_routes import decimal_out
from domain import routings
from domain.masterdata import RoutingStep
from domain.roles import ADMIN

blp = Blueprint(
    "api_routings", __name__, url_prefix="/routings", description="Routings (operations per product)"
)


class StepIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    workshop_id = ma.fields.Integer(required=True)
    setup_minutes = ma.fields.Integer(load_default=0)
    seconds_per_unit = ma.fields.Decimal(load_default=0)
    transfer_minutes = ma.fields.Integer(load_default=0, metadata={"description": "after the step before"})
    min_tonnage = ma.fields.Integer(load_default=None, allow_none=True, metadata={"description": "press, t"})


class StepChange(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    workshop_id = ma.fields.Integer()
    setup_minutes = ma.fields.Integer()
    seconds_per_unit = ma.fields.Decimal()
    transfer_minutes = ma.fields.Integer()
    min_tonnage = ma.fields.Integer(allow_none=True)


class OrderIn(ma.Schema):
    step_ids = ma.fields.List(
        ma.fields.Integer(), required=True, metadata={"description": "every step, in order"}
    )


class StepOut(ma.Schema):
    id = ma.fields.Integer()
    seq = ma.fields.Integer()
    name = ma.fields.String()
    workshop_id = ma.fields.Integer()
    workshop_code = ma.fields.String(attribute="workshop.code")
    workshop_name = ma.fields.String(attribute="workshop.name")
    setup_minutes = ma.fields.Integer()
    seconds_per_unit = decimal_out()
    transfer_minutes = ma.fields.Integer()
    min_tonnage = ma.fields.Integer(allow_none=True)


class RoutingOut(ma.Schema):
    product_id = ma.fields.Integer(attribute="id")
    product_model = ma.fields.String(attribute="model")
    steps = ma.fields.List(ma.fields.Nested(StepOut), attribute="routing")


def _changed(step: RoutingStep, body: dict) -> routings.StepInput:
    """A partial change on top of the step as it is."""
    return routings.StepInput(
        name=body.get("name", step.name),
        workshop_id=body.get("workshop_id", step.workshop_id),
        setup_minutes=body.get("setup_minutes", step.setup_minutes),
        seconds_per_unit=body.get("seconds_per_unit", step.seconds_per_unit),
        transfer_minutes=body.get("transfer_minutes", step.transfer_minutes),
        min_tonnage=body.get("min_tonnage", step.min_tonnage),
    )


@blp.route("/<int:product_id>", methods=["GET"])
@blp.response(200, RoutingOut)
@roles_required()
def get_routing(product_id: int):
    return routings.routing_of(product_id)


@blp.route("/<int:product_id>/steps", methods=["POST"])
@blp.arguments(StepIn)
@blp.response(201, RoutingOut)
@roles_required(ADMIN)
def add_step(body: dict, product_id: int):
    """Append a step at the end."""
    routings.add_step(product_id, routings.StepInput(**body), current_user)
    return routings.routing_of(product_id)


@blp.route("/<int:product_id>/steps/<int:step_id>", methods=["PATCH"])
@blp.arguments(StepChange)
@blp.response(200, RoutingOut)
@roles_required(ADMIN)
def update_step(body: dict, product_id: int, step_id: int):
    step = routings.step_of(product_id, step_id)
    routings.update_step(product_id, step_id, _changed(step, body), current_user)
    return routings.routing_of(product_id)


@blp.route("/<int:product_id>/steps/<int:step_id>", methods=["DELETE"])
@blp.response(200, RoutingOut)
@roles_required(ADMIN)
def remove_step(product_id: int, step_id: int):
    """Remove a step; the ones after it move up."""
    routings.remove_step(product_id, step_id, current_user)
    return routings.routing_of(product_id)


@blp.route("/<int:product_id>/order", methods=["PUT"])
@blp.arguments(OrderIn)
@blp.response(200, RoutingOut)
@roles_required(ADMIN)
def reorder(body: dict, product_id: int):
    """Put the steps in the order given (every step id of the routing, once)."""
    routings.reorder(product_id, body["step_ids"], current_user)
    return routings.routing_of(product_id)
