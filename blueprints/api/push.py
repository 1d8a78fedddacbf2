"""/api/v1/push: Web Push on a device (DESIGN §4 "Notifications"): the VAPID public key a browser
subscribes with, and its subscription registered for the signed-in user (or removed)."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from domain.delivery import webpush
from domain.transactions import write_transaction

blp = Blueprint("api_push", __name__, url_prefix="/push", description="Web Push subscriptions")

B64URL = ma.validate.Regexp(r"^[A-Za-z0-9_-]+=*$", error="base64url")


class KeyOut(ma.Schema):
    public_key = ma.fields.String(metadata={"description": "applicationServerKey, base64url"})


class KeysIn(ma.Schema):
    p256dh = ma.fields.String(required=True, validate=[ma.validate.Length(min=80, max=200), B64URL])
    auth = ma.fields.String(required=True, validate=[ma.validate.Length(min=16, max=100), B64URL])


class SubscriptionIn(ma.Schema):
    endpoint = ma.fields.Url(required=True, schemes={"https", "http"}, validate=ma.validate.Length(max=1000))
    keys = ma.fields.Nested(KeysIn, required=True)


class EndpointIn(ma.Schema):
    endpoint = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))


class SubscribedOut(ma.Schema):
    id = ma.fields.Integer()


@blp.route("/key", methods=["GET"])
@blp.response(200, KeyOut)
@roles_required()
def key():
    return {"public_key": webpush.public_key()}


@blp.route("/subscriptions", methods=["POST"])
@blp.arguments(SubscriptionIn)
@blp.response(201, SubscribedOut)
@roles_required()
def subscribe(data: dict):
    """This device turned notifications on: task cards, changes and requests reach it when closed."""
    with write_transaction():
        row = webpush.subscribe(
            current_user.id, data["endpoint"], data["keys"]["p256dh"], data["keys"]["auth"]
        )
    return {"id": row.id}


@blp.route("/subscriptions", methods=["DELETE"])
@blp.arguments(EndpointIn)
@blp.response(204)
@roles_required()
def unsubscribe(data: dict):
    webpush.unsubscribe(current_user.id, data["endpoint"])
