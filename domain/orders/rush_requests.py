"""Rush orders (紧急插单, DESIGN §3.3): a request is scored at once; at or above the threshold the rush
channel opens, below it the VP approves or rejects with a comment. Settings are stored for the admin."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, Numeric, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from domain import audit, events, keyset, roles
from domain.clock import utcnow
from domain.errors import Conflict, DomainError, NotFound
from domain.events.types import RushRequested
from domain.orders import rush_delays, rush_inputs
from domain.orders.models import Order
from domain.orders.rush_score import RushInputs, RushScore, RushSettings, score_rush
from domain.transactions import unit_of_work
from domain.users import User
from extensions import db

OPEN, PENDING_VP, APPROVED, REJECTED = "open", "pending_vp", "approved", "rejected"
STATUSES = (OPEN, PENDING_VP, APPROVED, REJECTED)
RUSHABLE_STAGES = ("confirmed", "scheduling")  # a rush order is inserted into the schedule
Score = Numeric(5, 2)


class RushSettingsRecord(db.Model):
    """The rush scoring settings an admin changed; a single row (id 1), defaults when absent."""

    id: Mapped[int] = mapped_column(primary_key=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class RushRequest(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    requested_due_date: Mapped[date]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The inputs and the settings used, so the page can explain the score in any language later.
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    scores: Mapped[dict[str, str]] = mapped_column(JSON)  # dimension → score, for queries and exports
    composite: Mapped[Decimal] = mapped_column(Score)
    threshold: Mapped[Decimal] = mapped_column(Score)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str | None] = mapped_column(String(1000))
    delayed: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # snapshot when the channel opened
    order: Mapped[Order] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def kitting_source(self) -> str:
        return self.inputs.get("kitting_source", "stock")

    def explained(self) -> RushScore:
        """The score with every dimension's why, in the current language."""
        return score_rush(rush_inputs.inputs_from_json(self.inputs), RushSettings.from_dict(self.settings))

    def explained_for(self, user: Any) -> RushScore:
        """The score as `user` may read it: the margin's figures only for the price roles."""
        score = self.explained()
        if roles.sees_prices(user):
            return score
        return score.without_margin(_("The margin is shown to sales, the VP, admin and customer service."))


# ---- settings ----


def load_settings() -> RushSettings:
    row = db.session.get(RushSettingsRecord, 1)
    return RushSettings.from_dict(row.settings if row else None)


@unit_of_work
def save_settings(data: dict[str, Any], actor: Any) -> RushSettings:
    try:
        settings = RushSettings.from_dict({**load_settings().to_dict(), **data})
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise DomainError(
            "invalid_settings",
            _("Some settings are not numbers."),
            {"_body": _("Some settings are not numbers.")},
        ) from exc
    if problems := settings.problems():
        raise DomainError("invalid_settings", _("Some settings are not valid."), problems)
    row = db.session.get(RushSettingsRecord, 1) or RushSettingsRecord(id=1, settings={})
    before = dict(row.settings or RushSettings().to_dict())
    row.settings = settings.to_dict()
    row.updated_by_id = getattr(actor, "id", None)
    db.session.add(row)
    audit.record("rush_settings", "rush_settings", 1, audit.diff(before, row.settings), actor=actor)
    return settings


# ---- requests ----


@dataclass(frozen=True)
class RushAsk:
    order_id: int
    requested_due_date: date | None = None  # default: the order's due date
    reason: str = ""
    # Used only while no stock data exists to compute kitting (see domain/kitting/estimate.py).
    kitting_rate_pct: Decimal | None = None
    kitting_source: str = ""


def _kitting(ask: RushAsk, inputs: RushInputs) -> tuple[RushInputs, str]:
    if inputs.kitting_rate is not None:
        return inputs, "stock"
    if ask.kitting_rate_pct is None:
        return inputs, "unknown"
    if not ask.kitting_source.strip():
        message = _("Say where the kitting rate comes from (e.g. the warehouse's count of today).")
        raise DomainError("kitting_source_missing", message, {"kitting_source": message})
    rate = max(Decimal(0), min(Decimal(1), ask.kitting_rate_pct / 100))
    return replace(inputs, kitting_rate=rate), f"entered: {ask.kitting_source.strip()[:200]}"


def _check_rushable(order: Order, due: date, today: date) -> None:
    if order.stage not in RUSHABLE_STAGES:
        raise Conflict(
            "not_rushable", _("Only a confirmed order that is not yet in production can be rushed.")
        )
    if due < today:
        message = _("The requested due date is in the past.")
        raise DomainError("invalid_due_date", message, {"requested_due_date": message})
    pending = select(RushRequest.id).where(RushRequest.order_id == order.id, RushRequest.status == PENDING_VP)
    if db.session.execute(pending).first() is not None:
        raise Conflict("rush_pending", _("A rush request for this order is already waiting for the VP."))
    if order.is_rush:
        raise Conflict("already_rush", _("The rush channel is already open for this order."))


@unit_of_work
def request_rush(ask: RushAsk, actor: Any, today: date) -> RushRequest:
    """Score the request; open the channel at once at or above the threshold, else wait for the VP."""
    order = _locked_order(ask.order_id)
    due = ask.requested_due_date or order.due_date
    _check_rushable(order, due, today)
    settings = load_settings()
    inputs, source = _kitting(ask, rush_inputs.gather(order, due, today))
    result = score_rush(inputs, settings)
    rush = RushRequest(
        order=order,
        status=OPEN if result.opens_at_once else PENDING_VP,
        reason=ask.reason.strip()[:500],
        requested_due_date=due,
        requested_by_id=getattr(actor, "id", None),
        inputs={**rush_inputs.inputs_to_json(inputs), "kitting_source": source},
        settings=settings.to_dict(),
        scores={d.key: str(d.score) for d in result.dimensions},
        composite=result.composite,
        threshold=result.threshold,
    )
    db.session.add(rush)
    db.session.flush()
    audit.record(
        "rush_request",
        "rush_request",
        rush.id,
        {
            "order": [None, order.number],
            "composite": [None, str(result.composite)],
            "status": [None, rush.status],
        },
        actor=actor,
    )
    if rush.status == OPEN:
        _open_channel(rush, settings, actor)
    else:
        events.record(RushRequested(getattr(actor, "id", None), rush.id))
    return rush


@unit_of_work
def decide(request_id: int, approve: bool, comment: str, actor: Any) -> RushRequest:
    """The VP's decision on a request below the threshold; the comment is required either way."""
    if not comment.strip():
        message = _("Write a comment for the sales team.")
        raise DomainError("comment_required", message, {"comment": message})
    rush = db.session.execute(
        select(RushRequest).where(RushRequest.id == request_id).with_for_update()
    ).scalar_one_or_none()
    if rush is None:
        raise NotFound("rush request", request_id)
    if rush.status != PENDING_VP:
        raise Conflict("already_decided", _("This rush request is not waiting for a decision."))
    rush.status = APPROVED if approve else REJECTED
    rush.decided_by_id = actor.id
    rush.decided_at = utcnow()
    rush.decision_comment = comment.strip()[:1000]
    audit.record(
        "rush_decision",
        "rush_request",
        rush.id,
        {"status": [PENDING_VP, rush.status], "comment": [None, rush.decision_comment]},
        actor=actor,
    )
    if approve:
        _locked_order(rush.order_id)
        _open_channel(rush, RushSettings.from_dict(rush.settings), actor)
    return rush


def _open_channel(rush: RushRequest, settings: RushSettings, actor: Any) -> None:
    """The order becomes a priority-A rush order due on the requested date; the orders it delays
    are recorded as they stood at this moment."""
    order = rush.order
    delayed = rush_delays.delayed_orders(order, rush.requested_due_date, settings.workday_hours)
    rush.delayed = [d.as_dict() for d in delayed]
    before = {"priority": order.priority, "due_date": order.due_date, "is_rush": order.is_rush}
    order.priority, order.due_date, order.is_rush = "A", rush.requested_due_date, True
    after = {"priority": order.priority, "due_date": order.due_date, "is_rush": order.is_rush}
    audit.record("rush_open", "order", order.id, audit.diff(before, after), actor=actor)


def _locked_order(order_id: int) -> Order:
    order = db.session.execute(
        select(Order).options(joinedload(Order.product)).where(Order.id == order_id).with_for_update(of=Order)
    ).scalar_one_or_none()
    if order is None:
        raise NotFound("order", order_id)
    return order


def get_request(request_id: int) -> RushRequest:
    query = (
        select(RushRequest)
        .options(joinedload(RushRequest.order).joinedload(Order.customer))
        .options(joinedload(RushRequest.order).joinedload(Order.product))
        .options(joinedload(RushRequest.requested_by), joinedload(RushRequest.decided_by))
        .where(RushRequest.id == request_id)
    )
    rush = db.session.execute(query).scalar_one_or_none()
    if rush is None:
        raise NotFound("rush request", request_id)
    return rush


def request_page(
    status: str | None, order_id: int | None, created_by_id: int | None, limit: int, cursor: str | None
) -> keyset.Page:
    """The newest requests first, a page at a time; `created_by_id`: only that salesperson's orders."""
    query = select(RushRequest).options(
        joinedload(RushRequest.order).joinedload(Order.customer), joinedload(RushRequest.requested_by)
    )
    if status:
        query = query.where(RushRequest.status == status)
    if order_id:
        query = query.where(RushRequest.order_id == order_id)
    if created_by_id is not None:
        owned = select(Order.id).where(Order.created_by_id == created_by_id)
        query = query.where(RushRequest.order_id.in_(owned))
    return keyset.by_id(query, RushRequest.id, scope="rush", limit=limit, cursor=cursor, newest_first=True)


def list_requests(
    status: str | None = None, order_id: int | None = None, limit: int = 100
) -> list[RushRequest]:
    query = (
        select(RushRequest)
        .options(joinedload(RushRequest.order).joinedload(Order.customer))
        .options(joinedload(RushRequest.requested_by))
        .order_by(RushRequest.requested_at.desc(), RushRequest.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(RushRequest.status == status)
    if order_id:
        query = query.where(RushRequest.order_id == order_id)
    return list(db.session.execute(query).scalars())


def current_delays(rush: RushRequest) -> list[rush_delays.DelayedOrder]:
    """The orders this request would delay if opened now (pending), from the live queue."""
    settings = RushSettings.from_dict(rush.settings)
    return rush_delays.delayed_orders(rush.order, rush.requested_due_date, settings.workday_hours)
