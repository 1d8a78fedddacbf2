"""/api/v1/changes: customer change records and process change notices (DESIGN §3.2) — the signed-in
user's inbox, a notice with who has acknowledged it, acknowledging, and issuing a process notice."""

import marshmallow as ma
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.fields import UtcDateTime
from blueprints.api.idempotent import idempotent
from blueprints.api.paging import CursorArgs, cursor_body, cursor_page_of
from domain import roles
from domain.errors import DomainError
from domain.orders import changes
from domain.orders import service as order_service

blp = Blueprint(
    "api_changes", __name__, url_prefix="/changes", description="Changes to acknowledge (变更响应)"
)

ACKNOWLEDGERS = (roles.PLANNER, roles.WAREHOUSE, roles.LEADER, roles.QC)
ISSUERS = (roles.PLANNER, roles.ADMIN)


class RecipientOut(ma.Schema):
    user_id = ma.fields.Integer()
    user = ma.fields.String(attribute="user.display_name")
    reason = ma.fields.String()
    acknowledged_at = UtcDateTime(allow_none=True)


class NoticeOut(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "spec (customer change) or process"})
    order_id = ma.fields.Integer(allow_none=True)
    order_number = ma.fields.String(attribute="order.number", allow_none=True)
    product_model = ma.fields.String(attribute="product.model")
    title = ma.fields.String()
    body = ma.fields.String()
    changes = ma.fields.Dict(metadata={"description": "{field: [old, new]}"})
    created_by_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    completed_at = UtcDateTime(allow_none=True)
    response_seconds = ma.fields.Integer(
        allow_none=True, metadata={"description": "creation → last acknowledgement, once all acknowledged"}
    )


class NoticeDetailOut(NoticeOut):
    recipients = ma.fields.List(ma.fields.Nested(RecipientOut))


class InboxItemOut(NoticeOut):
    acknowledged_at = UtcDateTime(allow_none=True)


class InboxQuery(CursorArgs):
    pending = ma.fields.Boolean(load_default=False, metadata={"description": "only the unacknowledged"})


class AckOut(ma.Schema):
    id = ma.fields.Integer(attribute="notice_id")
    acknowledged_at = UtcDateTime()
    completed = ma.fields.Boolean()
    response_seconds = ma.fields.Integer(allow_none=True)


class ProcessNoticeIn(ma.Schema):
    product_model = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    body = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


class InboxItem:
    def __init__(self, entry: changes.InboxEntry):
        self._notice = entry.notice
        self.acknowledged_at = entry.acknowledged_at

    def __getattr__(self, name: str):
        return getattr(self._notice, name)


@blp.route("", methods=["GET"])
@blp.arguments(InboxQuery, location="query")
@blp.response(200, cursor_page_of(InboxItemOut))
@roles_required()
def inbox(query: dict):
    """The changes sent to me, newest first (`pending=true`: only those I have not acknowledged)."""
    page = changes.inbox_page(current_user.id, query["pending"], query["limit"], query["cursor"])
    return cursor_body(page, [InboxItem(e) for e in page.items])


@blp.route("/<int:notice_id>", methods=["GET"])
@blp.response(200, NoticeDetailOut)
@roles_required()
def get_notice(notice_id: int):
    notice = changes.get_notice(notice_id)
    if not may_view_notice(notice):
        raise DomainError("forbidden", _("This change was not sent to you."), status=403)
    return notice


def may_view_notice(notice: changes.ChangeNotice) -> bool:
    """Its recipients and author, and whoever may see the order (any process notice: staff who see
    every order)."""
    if current_user.id == notice.created_by_id or any(
        r.user_id == current_user.id for r in notice.recipients
    ):
        return True
    if notice.order is not None:
        return order_service.may_view(current_user, notice.order)
    return current_user.has_any_role(order_service.SEE_ALL_ROLES)


@blp.route("/<int:notice_id>/ack", methods=["POST"])
@idempotent()
@blp.response(200, AckOut)
@blp.alt_response(403, description="The change was not sent to this user")
@roles_required(*ACKNOWLEDGERS)
def acknowledge(notice_id: int):
    recipient = changes.acknowledge(notice_id, current_user)
    notice = recipient.notice
    return {
        "notice_id": notice.id,
        "acknowledged_at": recipient.acknowledged_at,
        "completed": notice.completed_at is not None,
        "response_seconds": notice.response_seconds,
    }


@blp.route("/process", methods=["POST"])
@blp.arguments(ProcessNoticeIn)
@blp.response(201, NoticeDetailOut)
@roles_required(*ISSUERS)
def issue_process_notice(data: dict):
    """A process change notice (工艺变更通知) on a product model, pushed to planners and leaders."""
    return changes.create_process_notice(data["product_model"], data["title"], data["body"], current_user)
