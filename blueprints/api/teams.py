"""/api/v1/teams: production teams, each in a workshop, led by a user holding the leader role."""

import marshmallow as ma
from flask_smorest import Blueprint

from blueprints.api.masterdata_routes import add_routes

blp = Blueprint("api_teams", __name__, url_prefix="/teams", description="Teams (master data)")


class TeamOut(ma.Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    workshop_id = ma.fields.Integer()
    workshop_code = ma.fields.String(attribute="workshop.code", dump_only=True)
    leader_id = ma.fields.Integer(allow_none=True)
    leader_username = ma.fields.String(attribute="leader.username", allow_none=True, dump_only=True)
    active = ma.fields.Boolean()


add_routes(blp, "teams", TeamOut)
