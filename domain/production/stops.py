"""An order put on hold or cancelled stops its production (DESIGN §3.0), in the same transaction:

- cancel: work orders not started are cancelled; started ones go on hold with their output kept;
- hold: every open work order goes on hold and remembers its status; resume brings it back;
- a stopped work order's operations leave the machines (the Gantt and the scheduler skip them) and its
  task card shows the stop and refuses start and report. A resumed one is placed again by the
  scheduler's rules."""

from typing import Any

from sqlalchemy import select

from domain import audit
from domain.clock import utcnow
from domain.events.types import OrderCancelled, OrderHeld, OrderResumed
from domain.production import models as m
from domain.users import User
from extensions import db

NOT_STARTED = (m.RELEASED, m.ACKNOWLEDGED)


def stop_work_orders(event: OrderCancelled | OrderHeld) -> None:
    cancelling = isinstance(event, OrderCancelled)
    stoppable = (*m.OPEN_WORK_ORDER, m.ON_HOLD) if cancelling else m.OPEN_WORK_ORDER
    for work_order in _work_orders(event.order_id, stoppable):
        was = work_order.held_from if work_order.status == m.ON_HOLD else work_order.status
        to = m.CANCELLED if cancelling and was in NOT_STARTED else m.ON_HOLD
        if work_order.status == to:
            continue
        _stop(work_order, to, was, event.reason)
        audit.record(
            "work_order_stop",
            "work_order",
            work_order.id,
            {"status": [was, to], "reason": [None, event.reason]},
            actor=_actor(event),
        )


def resume_work_orders(event: OrderResumed) -> list[m.WorkOrder]:
    """Every held work order of the order back to the status it had; their operations are planned
    again (they were off the machines while held)."""
    from domain.scheduling import replan  # the scheduler reads production: imported when needed

    resumed = []
    for work_order in _work_orders(event.order_id, (m.ON_HOLD,)):
        status = work_order.held_from or m.RELEASED
        work_order.status, work_order.held_from, work_order.stop_reason = status, None, None
        running = status == m.IN_PROGRESS
        for op in work_order.operations:
            if op.status == m.ON_HOLD:
                op.status = m.STARTED if running and (op.good_qty or op.scrap_qty) else m.PENDING
        if running and not any(op.status == m.STARTED for op in work_order.operations):
            first_open = next((op for op in work_order.operations if op.status == m.PENDING), None)
            if first_open is not None:
                first_open.status = m.STARTED
        for card in _cards(work_order.id):
            card.status, card.stopped_at = _card_status(card), None
        audit.record(
            "work_order_resume",
            "work_order",
            work_order.id,
            {"status": [m.ON_HOLD, status]},
            actor=_actor(event),
        )
        resumed.append(work_order)
    db.session.flush()
    for work_order in resumed:
        replan.place_work_order(work_order, _actor(event))
    return resumed


def _stop(work_order: m.WorkOrder, to: str, was: str, reason: str) -> None:
    work_order.status, work_order.stop_reason = to, reason
    work_order.held_from = was if to == m.ON_HOLD else None
    for op in work_order.operations:
        if op.status in (*m.OPEN_OPERATION, m.ON_HOLD):
            op.status = to
    now = utcnow()
    for card in _cards(work_order.id):
        if card.status != m.FINISHED:
            card.status, card.stopped_at = to, now


def _card_status(card: m.TaskCard) -> str:
    if card.started_at is not None:
        return m.CARD_STARTED
    return m.ACKNOWLEDGED if card.acknowledged_at is not None else m.CARD_NEW


def _work_orders(order_id: int, statuses: tuple[str, ...]) -> list[m.WorkOrder]:
    query = (
        select(m.WorkOrder)
        .where(m.WorkOrder.order_id == order_id, m.WorkOrder.status.in_(statuses))
        .order_by(m.WorkOrder.id)
        .with_for_update()
    )
    return list(db.session.scalars(query))


def _cards(work_order_id: int) -> list[m.TaskCard]:
    query = select(m.TaskCard).where(m.TaskCard.work_order_id == work_order_id).with_for_update()
    return list(db.session.scalars(query))


def _actor(event: Any) -> User | None:
    return db.session.get(User, event.actor_id) if event.actor_id else None
