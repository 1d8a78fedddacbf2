"""Change notices over Socket.IO (DESIGN §3.2): pushed to each affected user's room once the change
has committed (realtime/notifiers.py), and acknowledged from the phone with the `change_ack` event
(or over the API)."""

from typing import Any

from flask_babel import gettext as _
from flask_login import current_user

from domain.errors import DomainError
from domain.orders import changes
from extensions import db, socketio

ACK_EVENT = "change_ack"


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
    return {"ok": True, "id": notice_id, "response_seconds": recipient.notice.response_seconds}
