"""/api/v1/compliance-rules: the order compliance rules as data (DESIGN §3.1) — list, switch off, edit
the messages (zh/en) and add a "field is required" rule."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from domain import roles
from domain.orders import compliance_rules
from domain.orders.compliance import REQUIRABLE_FIELDS

blp = Blueprint(
    "api_compliance_rules", __name__, url_prefix="/compliance-rules", description="Order compliance rules"
)


class RuleOut(ma.Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "builtin (one of the 8 defaults) or required"})
    field = ma.fields.String()
    message_en = ma.fields.String()
    message_zh = ma.fields.String()
    active = ma.fields.Boolean()


class RuleEditIn(ma.Schema):
    active = ma.fields.Boolean()
    message_en = ma.fields.String(validate=ma.validate.Length(min=1, max=300))
    message_zh = ma.fields.String(validate=ma.validate.Length(min=1, max=300))


class RequiredRuleIn(ma.Schema):
    field = ma.fields.String(required=True, validate=ma.validate.OneOf(REQUIRABLE_FIELDS))
    message_en = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    message_zh = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))


@blp.route("", methods=["GET"])
@blp.response(200, RuleOut(many=True))
@roles_required(roles.ADMIN, roles.SALES)
def list_rules():
    return compliance_rules.all_rules()


@blp.route("", methods=["POST"])
@blp.arguments(RequiredRuleIn)
@blp.response(201, RuleOut)
@roles_required(roles.ADMIN)
def add_required_rule(data: dict):
    return compliance_rules.add_required_rule(
        data["field"], data["message_en"], data["message_zh"], current_user
    )


@blp.route("/<int:rule_id>", methods=["PATCH"])
@blp.arguments(RuleEditIn)
@blp.response(200, RuleOut)
@roles_required(roles.ADMIN)
def edit_rule(data: dict, rule_id: int):
    return compliance_rules.update_rule(rule_id, compliance_rules.RuleEdit(**data), current_user)
