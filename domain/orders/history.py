"""An order's full history for its detail page: stage events, audit entries, drawings, submissions,
change records and rush requests, each read with one query."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from domain import roles
from domain.audit import AuditLog
from domain.drawings import SampleDrawing
from domain.orders.compliance_rules import OrderSubmission
from domain.orders.models import OrderStageEvent
from domain.users import User
from extensions import db

AUDIT_LIMIT = 200


def stage_events(order_id: int) -> list[dict[str, Any]]:
    query = (
        select(OrderStageEvent, User.display_name, User.username)
        .outerjoin(User, User.id == OrderStageEvent.user_id)
        .where(OrderStageEvent.order_id == order_id)
        .order_by(OrderStageEvent.at, OrderStageEvent.id)
    )
    return [
        {
            "from_stage": event.from_stage,
            "to_stage": event.to_stage,
            "at": event.at,
            "user_id": event.user_id,
            "user": display or username,
            "reason": event.reason,
        }
        for event, display, username in db.session.execute(query)
    ]


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    action: str
    user: str | None
    changes: dict[str, Any] | None
    ip: str | None


def audit_entries(order_id: int, with_prices: bool = True) -> list[AuditEntry]:
    """Audit rows about the order itself, newest first; without price changes for the roles that do not
    deal in prices (`roles.PRICE_FIELDS`)."""
    who = aliased(User)
    query = (
        select(AuditLog, who.display_name, who.username)
        .outerjoin(who, who.id == AuditLog.user_id)
        .where(AuditLog.entity == "order", AuditLog.entity_id == str(order_id))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(AUDIT_LIMIT)
    )
    return [
        AuditEntry(row.at, row.action, display or username, _shown(row.changes, with_prices), row.ip)
        for row, display, username in db.session.execute(query)
    ]


def _shown(changes: Any, with_prices: bool) -> Any:
    if with_prices or not isinstance(changes, dict):
        return changes
    return {key: value for key, value in changes.items() if key not in roles.PRICE_FIELDS}


def drawings_of(order_id: int) -> list[SampleDrawing]:
    query = (
        select(SampleDrawing)
        .where(SampleDrawing.order_id == order_id)
        .order_by(SampleDrawing.uploaded_at.desc(), SampleDrawing.id.desc())
    )
    return list(db.session.execute(query).scalars())


def submissions_of(order_id: int) -> list[OrderSubmission]:
    query = (
        select(OrderSubmission)
        .where(OrderSubmission.order_id == order_id)
        .order_by(OrderSubmission.at.desc(), OrderSubmission.id.desc())
    )
    return list(db.session.execute(query).scalars())
