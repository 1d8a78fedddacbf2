"""POST /api/v1/auth/token: username + password → bearer token (DESIGN §12)."""

import marshmallow as ma
from flask import current_app
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import public, roles_required
from blueprints.auth import login_limit
from domain import sign_in
from extensions import limiter

blp = Blueprint("api_auth", __name__, url_prefix="/auth", description="Sign in for API clients")


class Credentials(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128), load_only=True)


class TokenOut(ma.Schema):
    token = ma.fields.String(required=True)
    expires_in = ma.fields.Integer(metadata={"description": "seconds"})


class MeOut(ma.Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    display_name = ma.fields.String()
    roles = ma.fields.List(ma.fields.String())
    locale = ma.fields.String(allow_none=True)


@blp.route("/token", methods=["POST"])
@blp.arguments(Credentials)
@blp.response(200, TokenOut)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(429, description="Too many attempts")
@limiter.limit(login_limit)
@public
def token(creds: dict):
    ttl = current_app.config["API_TOKEN_TTL_HOURS"]
    value = sign_in.issue_api_token(creds["username"], creds["password"], ttl)
    return {"token": value, "expires_in": ttl * 3600}


@blp.route("/me", methods=["GET"])
@blp.response(200, MeOut)
@blp.alt_response(401, description="Not signed in")
@roles_required()
def me():
    user = current_user
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "locale": user.locale,
    }
