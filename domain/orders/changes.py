"""Changes (变更响应, DESIGN §3.2): customer spec changes on confirmed orders and process change notices
(工艺变更通知) on product models; who must acknowledge them, and the change response time."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, selectinload

from domain import audit, events, keyset, roles
from domain.clock import utcnow
from domain.errors import DomainError, NotFound
from domain.events.types import NoticeAcknowledged, ProcessChanged, SpecChanged
from domain.masterdata import Product, RoutingStep, Team
from domain.orders.models import Order
from domain.production.models import CANCELLED, FINISHED, WorkOrder
from domain.transactions import unit_of_work, write_transaction
from domain.users import User, UserRole
from extensions import db

SPEC, PROCESS = "spec", "process"
# Stages in which a model has what will become open work orders (issue 4 replaces this proxy).
PRODUCTION_STAGES = ("scheduling", "in_production", "awaiting_qc")


class ChangeNotice(db.Model):
    """A change somebody must acknowledge: a customer spec change on an order (`changes` holds
    {field: [old, new]}) or a process change notice on a product model (`title`, `body`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # spec | process
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(String(2000), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set when the last recipient acknowledged: the change response time of DESIGN §3.2 and §9.
    completed_at: Mapped[datetime | None]
    response_seconds: Mapped[int | None]
    order: Mapped[Order | None] = relationship()
    product: Mapped[Product] = relationship()
    created_by: Mapped[User | None] = relationship()
    recipients: Mapped[list["ChangeRecipient"]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="ChangeRecipient.id"
    )


class ChangeRecipient(db.Model):
    __table_args__ = (UniqueConstraint("notice_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("change_notice.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # the role that makes the user affected
    acknowledged_at: Mapped[datetime | None] = mapped_column(index=True)
    notice: Mapped[ChangeNotice] = relationship(back_populates="recipients")
    user: Mapped[User] = relationship()


# ---- who is affected ----


def _users_with_roles(role_names: Iterable[str]) -> dict[int, str]:
    query = (
        select(User.id, UserRole.role)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role.in_(tuple(role_names)), User.active.is_(True))
        .order_by(User.id)
    )
    out: dict[int, str] = {}
    for user_id, role in db.session.execute(query):
        out.setdefault(user_id, role)
    return out


def _routing_leaders(product_id: int) -> dict[int, str] | None:
    """Leaders of the active teams in the workshops of the product's routing; None without a routing."""
    workshops = select(RoutingStep.workshop_id).where(RoutingStep.product_id == product_id)
    if db.session.execute(workshops.limit(1)).first() is None:
        return None
    query = select(Team.leader_id).where(
        Team.workshop_id.in_(workshops), Team.active.is_(True), Team.leader_id.is_not(None)
    )
    active = select(User.id).where(User.active.is_(True))
    leaders = db.session.execute(query.where(Team.leader_id.in_(active)).distinct()).scalars()
    return {leader_id: roles.LEADER for leader_id in leaders}


def _work_order_leaders(which) -> dict[int, str] | None:
    """Leaders of the teams holding the open work orders `which` selects; None when there are none."""
    open_orders = select(WorkOrder.team_id).where(which, WorkOrder.status.not_in((FINISHED, CANCELLED)))
    if db.session.execute(open_orders.limit(1)).first() is None:
        return None
    query = select(Team.leader_id).where(
        Team.id.in_(open_orders), Team.leader_id.in_(select(User.id).where(User.active.is_(True)))
    )
    return {leader_id: roles.LEADER for leader_id in db.session.execute(query.distinct()).scalars()}


def affected_by_spec_change(order: Order) -> dict[int, str]:
    """{user id: reason} for a customer spec change.

    DESIGN §3.2 names the warehouse picking for the order, the work order's team leader and QC. Until
    work orders and picking lists exist (issue 4 and the kitting issue), that is: every active
    warehouse and QC user, and the leaders of the teams working in the product's routing workshops
    (every active leader when the product has no routing yet). Once the order has open work orders,
    the leaders are those of the teams making them."""
    leaders = _work_order_leaders(WorkOrder.order_id == order.id)
    if leaders is None:
        leaders = _routing_leaders(order.product_id)
    if leaders is None:
        leaders = _users_with_roles([roles.LEADER])
    return {**_users_with_roles([roles.WAREHOUSE, roles.QC]), **leaders}


def affected_by_process_change(product_id: int) -> dict[int, str]:
    """{user id: reason} for a process change notice on a model: every active planner, and the
    leaders of the routing's teams when the model has orders in production stages (standing in for
    "open work orders for that model" until work orders exist). Where the model has open work orders,
    the leaders are those of the teams making them."""
    out = _users_with_roles([roles.PLANNER])
    leaders = _work_order_leaders(WorkOrder.product_id == product_id)
    if leaders is not None:
        return {**leaders, **out}
    in_production = select(Order.id).where(Order.product_id == product_id, Order.stage.in_(PRODUCTION_STAGES))
    if db.session.execute(in_production.limit(1)).first() is not None:
        out = {**(_routing_leaders(product_id) or _users_with_roles([roles.LEADER])), **out}
    return out


# ---- creating notices ----


def _notice(kind: str, product_id: int, actor: Any, recipients: dict[int, str], **fields) -> ChangeNotice:
    notice = ChangeNotice(
        kind=kind, product_id=product_id, created_by_id=getattr(actor, "id", None), **fields
    )
    actor_id = getattr(actor, "id", None)
    notice.recipients = [
        ChangeRecipient(user_id=user_id, reason=reason)
        for user_id, reason in sorted(recipients.items())
        if user_id != actor_id  # whoever records a change already knows it
    ]
    if not notice.recipients:
        notice.completed_at = utcnow()
    db.session.add(notice)
    return notice


def record_spec_change(order: Order, changes: dict[str, list[Any]], note: str, actor: Any) -> ChangeNotice:
    """Adds the change record to the caller's transaction (the order edit that caused it)."""
    notice = _notice(
        SPEC, order.product_id, actor, affected_by_spec_change(order), order=order, changes=changes, body=note
    )
    db.session.flush()
    audit.record("change_record", "change_notice", notice.id, {"order": [None, order.number]}, actor=actor)
    events.record(SpecChanged(getattr(actor, "id", None), order.id, notice.id))
    return notice


@unit_of_work
def create_process_notice(product_model: str, title: str, body: str, actor: Any) -> ChangeNotice:
    product = db.session.execute(select(Product).where(Product.model == product_model)).scalar_one_or_none()
    problems: dict[str, str] = {}
    if product is None:
        problems["product_model"] = _("There is no product model %(model)s.", model=product_model)
    if not title.strip() or len(title.strip()) > 200:
        problems["title"] = _("Give the notice a title of at most %(n)s characters.", n=200)
    if len(body.strip()) > 2000:
        problems["body"] = _("At most %(n)s characters.", n=2000)
    if problems:
        raise DomainError("invalid_notice", _("Some fields are not valid."), problems)
    notice = _notice(
        PROCESS,
        product.id,
        actor,
        affected_by_process_change(product.id),
        title=title.strip(),
        body=body.strip(),
    )
    db.session.flush()
    audit.record(
        "process_notice", "change_notice", notice.id, {"product": [None, product.model]}, actor=actor
    )
    events.record(ProcessChanged(getattr(actor, "id", None), product.id, notice.id))
    return notice


# ---- acknowledging ----


def get_notice(notice_id: int) -> ChangeNotice:
    query = (
        select(ChangeNotice)
        .options(joinedload(ChangeNotice.order), joinedload(ChangeNotice.product))
        .options(selectinload(ChangeNotice.recipients).joinedload(ChangeRecipient.user))
        .where(ChangeNotice.id == notice_id)
    )
    notice = db.session.execute(query).scalar_one_or_none()
    if notice is None:
        raise NotFound("change", notice_id)
    return notice


def acknowledge(notice_id: int, user: Any) -> ChangeRecipient:
    """The user has read the change. Acknowledging twice changes nothing. When the last recipient
    acknowledges, the response time (creation → last acknowledgement) is stored on the notice.

    One write transaction (joining the caller's, e.g. the API's idempotency layer): on SQLite it
    serialises concurrent acknowledgements, on PostgreSQL the row lock does, so exactly one of two
    last acknowledgements completes the notice."""
    with write_transaction():
        notice = db.session.execute(
            select(ChangeNotice).where(ChangeNotice.id == notice_id).with_for_update()
        ).scalar_one_or_none()
        if notice is None:
            raise NotFound("change", notice_id)
        mine = next((r for r in notice.recipients if r.user_id == user.id), None)
        if mine is None:
            raise DomainError("not_a_recipient", _("This change was not sent to you."), status=403)
        if mine.acknowledged_at is not None:
            return mine
        mine.acknowledged_at = utcnow()
        if all(r.acknowledged_at is not None for r in notice.recipients):
            notice.completed_at = max(r.acknowledged_at for r in notice.recipients)  # type: ignore[type-var]
            notice.response_seconds = int((notice.completed_at - notice.created_at).total_seconds())
        audit.record("change_ack", "change_notice", notice.id, {"acknowledged": [False, True]}, actor=user)
        events.record(NoticeAcknowledged(user.id, notice.id, user.id))
    return mine


# ---- reading ----


@dataclass(frozen=True)
class InboxEntry:
    notice: ChangeNotice
    acknowledged_at: datetime | None


def inbox(user_id: int, pending_only: bool = False, limit: int = 100) -> list[InboxEntry]:
    query = (
        select(ChangeNotice, ChangeRecipient.acknowledged_at)
        .join(ChangeRecipient, ChangeRecipient.notice_id == ChangeNotice.id)
        .options(joinedload(ChangeNotice.order), joinedload(ChangeNotice.product))
        .where(ChangeRecipient.user_id == user_id)
        .order_by(ChangeRecipient.acknowledged_at.is_not(None), ChangeNotice.created_at.desc())
        .limit(limit)
    )
    if pending_only:
        query = query.where(ChangeRecipient.acknowledged_at.is_(None))
    return [InboxEntry(notice, at) for notice, at in db.session.execute(query)]


def inbox_page(user_id: int, pending_only: bool, limit: int, cursor: str | None) -> keyset.Page:
    """The changes sent to a user, newest first, a page at a time: a stable order, so a notice
    acknowledged while someone pages neither jumps nor repeats (`pending_only` for the open ones)."""
    query = (
        select(ChangeNotice, ChangeRecipient.acknowledged_at)
        .join(ChangeRecipient, ChangeRecipient.notice_id == ChangeNotice.id)
        .options(joinedload(ChangeNotice.order), joinedload(ChangeNotice.product))
        .where(ChangeRecipient.user_id == user_id)
    )
    if pending_only:
        query = query.where(ChangeRecipient.acknowledged_at.is_(None))
    found = keyset.page(
        query,
        keys=(ChangeNotice.id,),
        key_of=lambda row: (row[0].id,),
        scope="changes",
        limit=limit,
        cursor=cursor,
        descending=True,
        scalars=False,
    )
    return replace(found, items=[InboxEntry(notice, at) for notice, at in found.items])


def pending_count(user_id: int) -> int:
    query = select(func.count(ChangeRecipient.id)).where(
        ChangeRecipient.user_id == user_id, ChangeRecipient.acknowledged_at.is_(None)
    )
    return db.session.execute(query).scalar_one()


def pending_order_ids(user_id: int, order_ids: Iterable[int]) -> set[int]:
    """Which of these orders have a spec change this user has not acknowledged (the list marks them)."""
    query = (
        select(ChangeNotice.order_id)
        .join(ChangeRecipient, ChangeRecipient.notice_id == ChangeNotice.id)
        .where(
            ChangeRecipient.user_id == user_id,
            ChangeRecipient.acknowledged_at.is_(None),
            ChangeNotice.order_id.in_(list(order_ids)),
        )
    )
    return set(db.session.execute(query).scalars())


def notices_for_order(order: Order) -> list[ChangeNotice]:
    """The order's spec changes and its model's process notices, newest first, recipients loaded."""
    query = (
        select(ChangeNotice)
        .options(selectinload(ChangeNotice.recipients).joinedload(ChangeRecipient.user))
        .options(joinedload(ChangeNotice.created_by))
        .where(
            (ChangeNotice.order_id == order.id)
            | ((ChangeNotice.kind == PROCESS) & (ChangeNotice.product_id == order.product_id))
        )
        .order_by(ChangeNotice.created_at.desc(), ChangeNotice.id.desc())
    )
    return list(db.session.execute(query).scalars())


def unacknowledged_fields(notices: Iterable[ChangeNotice], user_id: int) -> set[str]:
    """Fields of spec changes this user has not acknowledged yet: the order page highlights them."""
    return {
        field
        for n in notices
        if n.kind == SPEC
        for r in n.recipients
        if r.user_id == user_id and r.acknowledged_at is None
        for field in n.changes
    }


def payload(notice: ChangeNotice) -> dict[str, Any]:
    """What the phones receive over Socket.IO (JSON-safe)."""
    return {
        "id": notice.id,
        "kind": notice.kind,
        "order_id": notice.order_id,
        "order_number": notice.order.number if notice.order else None,
        "product_model": notice.product.model if notice.product else None,
        "title": notice.title,
        "body": notice.body,
        "changes": notice.changes,
        "created_at": notice.created_at.isoformat() + "Z",
    }
