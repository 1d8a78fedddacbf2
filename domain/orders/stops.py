"""Cancel, hold and resume an order (DESIGN §3, §3.0): who may, with a reason, what it will stop, and
the event that makes every dependent area follow in the same transaction (domain/events/reactions.py)."""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from domain import audit, events, roles, stage_machine
from domain.errors import Conflict, DomainError
from domain.events.types import OrderCancelled, OrderHeld, OrderResumed
from domain.kitting.reservations import MaterialReservation
from domain.orders.models import Order, OrderStageEvent
from domain.orders.service import load_order, may_view
from domain.production import models as m
from domain.stock.transfers import INBOUND_STATES, Transfer
from domain.transactions import write_transaction
from extensions import db

REASON_MAX = 500
# Once production has begun (a work order exists), stopping costs machine time and material, so the
# planner or the VP decides; before that the salesperson who owns the customer may cancel.
BEFORE_PRODUCTION = frozenset({roles.SALES, roles.PLANNER, roles.VP, roles.ADMIN})
IN_PRODUCTION = frozenset({roles.PLANNER, roles.VP, roles.ADMIN})
HOLDERS = frozenset({roles.SALES, roles.PLANNER, roles.VP, roles.ADMIN})  # a customer pause comes via sales


def may_cancel(user_roles: set[str] | frozenset[str], in_production: bool) -> bool:
    return bool(set(user_roles) & (IN_PRODUCTION if in_production else BEFORE_PRODUCTION))


def may_hold(user_roles: set[str] | frozenset[str]) -> bool:
    return bool(set(user_roles) & HOLDERS)


@dataclass(frozen=True)
class Impact:
    """What a stop will reach: shown before the user confirms."""

    work_orders_to_cancel: list[str]
    work_orders_to_hold: list[str]
    cards: int
    reservations: int
    transfers: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "work_orders_to_cancel": self.work_orders_to_cancel,
            "work_orders_to_hold": self.work_orders_to_hold,
            "cards": self.cards,
            "reservations": self.reservations,
            "transfers": self.transfers,
        }


def impact(order: Order, cancelling: bool) -> Impact:
    work_orders = db.session.execute(
        select(m.WorkOrder.number, m.WorkOrder.status, m.WorkOrder.held_from).where(
            m.WorkOrder.order_id == order.id
        )
    ).all()
    cancel, hold = [], []
    for number, status, held_from in work_orders:
        was = held_from if status == m.ON_HOLD else status
        if status in m.OPEN_WORK_ORDER or (cancelling and status == m.ON_HOLD):
            (cancel if cancelling and was in (m.RELEASED, m.ACKNOWLEDGED) else hold).append(number)
    numbers = [n for n, _s, _h in work_orders]
    cards = db.session.scalar(
        select(func.count(m.TaskCard.id))
        .join(m.WorkOrder, m.WorkOrder.id == m.TaskCard.work_order_id)
        .where(m.WorkOrder.number.in_(cancel + hold), m.TaskCard.status != m.FINISHED)
    )
    reservations = db.session.scalar(
        select(func.count(MaterialReservation.id))
        .join(m.WorkOrder, m.WorkOrder.id == MaterialReservation.work_order_id)
        .where(m.WorkOrder.order_id == order.id, MaterialReservation.released_at.is_(None))
    )
    transfers = db.session.scalars(
        select(Transfer)
        .where(Transfer.state.in_(INBOUND_STATES), Transfer.order_ref.in_([order.number, *numbers]))
        .order_by(Transfer.id)
    )
    return Impact(cancel, hold, cards or 0, reservations or 0, [t.number for t in transfers])


def in_production(order: Order) -> bool:
    query = select(m.WorkOrder.id).where(m.WorkOrder.order_id == order.id).limit(1)
    return db.session.execute(query).first() is not None


def cancel_order(order_id: int, reason: str, actor: Any) -> Order:
    with write_transaction():
        order = _order(order_id, actor)
        stage_machine.check_transition(order.stage, stage_machine.CANCELLED)
        reason = _reason(reason)
        if not may_cancel(actor.roles, in_production(order)):
            raise DomainError(
                "forbidden_cancel",
                _("An order in production is cancelled by the planner or the VP."),
                status=403,
            )
        _move(order, stage_machine.CANCELLED, reason, actor)
        order.held_from = None
        events.record(OrderCancelled(actor.id, order.id, reason))
    return order


def hold_order(order_id: int, reason: str, actor: Any) -> Order:
    with write_transaction():
        order = _order(order_id, actor)
        if not may_hold(actor.roles):
            raise DomainError("forbidden_hold", _("Your role cannot put an order on hold."), status=403)
        stage_machine.check_transition(order.stage, stage_machine.ON_HOLD)
        reason = _reason(reason)
        order.held_from = order.stage
        _move(order, stage_machine.ON_HOLD, reason, actor)
        events.record(OrderHeld(actor.id, order.id, reason))
    return order


def resume_order(order_id: int, actor: Any) -> Order:
    with write_transaction():
        order = _order(order_id, actor)
        if not may_hold(actor.roles):
            raise DomainError("forbidden_hold", _("Your role cannot resume an order."), status=403)
        if order.stage != stage_machine.ON_HOLD or not stage_machine.may_resume_to(order.held_from):
            raise Conflict("not_on_hold", _("Only an order on hold can be resumed."))
        _move(order, order.held_from, None, actor)
        order.held_from = order.stop_reason = None
        events.record(OrderResumed(actor.id, order.id))
    return order


def _order(order_id: int, actor: Any) -> Order:
    order = load_order(order_id, lock=True)
    if not may_view(actor, order):
        raise DomainError("forbidden", _("This order belongs to another salesperson."), status=403)
    return order


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(
            "validation_error",
            _("Some fields are not valid."),
            {"reason": _("Say why (the customer's words).")},
        )
    if len(text) > REASON_MAX:
        raise DomainError(
            "validation_error",
            _("Some fields are not valid."),
            {"reason": _("At most %(n)s characters.", n=REASON_MAX)},
        )
    return text


def _move(order: Order, to_stage: str, reason: str | None, actor: Any) -> None:
    order.stage_events.append(
        OrderStageEvent(from_stage=order.stage, to_stage=to_stage, user_id=actor.id, reason=reason)
    )
    changes: dict[str, Any] = {"stage": [order.stage, to_stage]}
    if reason:
        changes["reason"] = [None, reason]
        order.stop_reason = reason
    audit.record("order_stage", "order", order.id, changes, actor=actor)
    order.stage = to_stage
