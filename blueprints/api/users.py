"""/api/v1/users: user administration (admin only): accounts, roles, team, password, deactivation."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.fields import UtcDateTime
from blueprints.api.paging import ListArgs, page_body, page_of
from domain import user_admin
from domain.roles import ADMIN, ALL_ROLES
from domain.users import User

blp = Blueprint("api_users", __name__, url_prefix="/users", description="User administration (admin only)")


class UserIn(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    display_name = ma.fields.String(load_default="", validate=ma.validate.Length(max=100))
    roles = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(ALL_ROLES)), required=True)
    team_id = ma.fields.Integer(allow_none=True, load_default=None)
    password = ma.fields.String(
        required=True, load_only=True, metadata={"description": "at least 8 characters"}
    )


class UserChange(ma.Schema):
    display_name = ma.fields.String(validate=ma.validate.Length(max=100))
    roles = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(ALL_ROLES)))
    team_id = ma.fields.Integer(allow_none=True)


class PasswordIn(ma.Schema):
    password = ma.fields.String(required=True, load_only=True)


class UserOut(ma.Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    display_name = ma.fields.String()
    roles = ma.fields.Method("_roles")
    team_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()
    is_demo = ma.fields.Boolean()
    created_at = UtcDateTime()

    def _roles(self, user: User) -> list[str]:
        return sorted(user.roles)


def _changed(user: User, body: dict) -> user_admin.UserInput:
    """A partial change on top of the user as they are."""
    return user_admin.UserInput(
        display_name=body.get("display_name", user.display_name),
        roles=body.get("roles", user.roles),
        team_id=body.get("team_id", user.team_id),
    )


@blp.route("", methods=["GET"])
@blp.arguments(ListArgs, location="query")
@blp.response(200, page_of(UserOut))
@roles_required(ADMIN)
def list_users(args: dict):
    """Paged, by username; ?q= looks in username and display name; ?active= filters."""
    return page_body(user_admin.user_page(args["q"], args["active"], args["page"], args["per_page"]))


@blp.route("", methods=["POST"])
@blp.arguments(UserIn)
@blp.response(201, UserOut)
@roles_required(ADMIN)
def create_user(body: dict):
    data = user_admin.UserInput(body["display_name"], body["roles"], body["team_id"])
    return user_admin.create_user(body["username"], body["password"], data, current_user)


@blp.route("/<int:user_id>", methods=["GET"])
@blp.response(200, UserOut)
@roles_required(ADMIN)
def get_user(user_id: int):
    return user_admin.get_user(user_id)


@blp.route("/<int:user_id>", methods=["PATCH"])
@blp.arguments(UserChange)
@blp.response(200, UserOut)
@blp.alt_response(409, description="cannot_remove_own_admin")
@roles_required(ADMIN)
def update_user(body: dict, user_id: int):
    user = user_admin.get_user(user_id)
    return user_admin.update_user(user_id, _changed(user, body), current_user)


@blp.route("/<int:user_id>/password", methods=["POST"])
@blp.arguments(PasswordIn)
@blp.response(204)
@roles_required(ADMIN)
def reset_password(body: dict, user_id: int):
    """Set a new password (8+ characters); the user's API tokens stop working."""
    user_admin.reset_password(user_id, body["password"], current_user)


@blp.route("/<int:user_id>/deactivate", methods=["POST"])
@blp.response(200, UserOut)
@blp.alt_response(409, description="cannot_deactivate_self")
@roles_required(ADMIN)
def deactivate(user_id: int):
    """The user can no longer sign in, and every API token of theirs stops working."""
    return user_admin.set_active(user_id, False, current_user)


@blp.route("/<int:user_id>/reactivate", methods=["POST"])
@blp.response(200, UserOut)
@roles_required(ADMIN)
def reactivate(user_id: int):
    return user_admin.set_active(user_id, True, current_user)
