"""Change notices over Socket.IO (DESIGN §3.2): pushed to each affected user's room once the change
has committed, and acknowledged from the phone with the `change_ack` event (or over the API)."""

from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from domain import changes
from domain.errors import DomainError
from domain.transactions import in_write_transaction
from extensions import db, socketio

NOTICE_EVENT = "change_notice"
ACK_EVENT = "change_ack"
ACKED_EVENT = "change_acknowledged"
_QUEUE = "change_notice_emits"


def _emit(name: str, body: dict[str, Any], room: str) -> None:
    """Now when the change is already committed; inside an open write transaction (e.g. the API's
    idempotency layer) once that commits, and never if it rolls back."""
    if in_write_transaction():
        db.session.info.setdefault(_QUEUE, []).append((name, body, room))
    else:
        socketio.emit(name, body, to=room)


@event.listens_for(Session, "after_commit")
def _send_queued(session) -> None:
    for name, body, room in session.info.pop(_QUEUE, []):
        socketio.emit(name, body, to=room)


@event.listens_for(Session, "after_rollback")
def _drop_queued(session) -> None:
    session.info.pop(_QUEUE, None)


def notify_recipients(notice: changes.ChangeNotice) -> None:
    """Call after the commit that created `notice`: each recipient's phones get it at once; a phone
    that was offline sees it in its inbox (stored, highlighted until acknowledged)."""
    body = changes.payload(notice)
    for recipient in notice.recipients:
        if recipient.acknowledged_at is None:
            _emit(NOTICE_EVENT, body, f"user:{recipient.user_id}")


def notify_acknowledged(recipient: changes.ChangeRecipient) -> None:
    """The user's other devices stop highlighting; the author sees who has read it."""
    notice = recipient.notice
    body = {
        "id": notice.id,
        "user_id": recipient.user_id,
        "acknowledged_at": recipient.acknowledged_at.isoformat() + "Z" if recipient.acknowledged_at else None,
        "completed": notice.completed_at is not None,
        "response_seconds": notice.response_seconds,
    }
    _emit(ACKED_EVENT, body, f"user:{recipient.user_id}")
    if notice.created_by_id:
        _emit(ACKED_EVENT, body, f"user:{notice.created_by_id}")


@socketio.on(ACK_EVENT)
def on_ack(data: Any = None) -> dict[str, Any]:
    """{"id": notice id} → {"ok": true, ...} or {"ok": false, "error": {code, message}} as the ack."""
    if not current_user.is_authenticated:
        return {"ok": False, "error": {"code": "unauthorized", "message": _("Please sign in first.")}}
    notice_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(notice_id, int):
        message = _("Say which change: its id.")
        return {"ok": False, "error": {"code": "validation_error", "message": message}}
    try:
        recipient = changes.acknowledge(notice_id, current_user)
    except DomainError as error:
        db.session.rollback()
        return {"ok": False, "error": {"code": error.code, "message": error.message}}
    notify_acknowledged(recipient)
    return {"ok": True, "id": notice_id, "response_seconds": recipient.notice.response_seconds}
