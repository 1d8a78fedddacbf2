"""Transfers that serve an order follow its hold or cancel (DESIGN §3.0), in the same transaction:
a request not picked yet is cancelled with the order; picked or moving goods are stopped with the
reason (picking and dispatch refuse; goods on the road may still be received); resume lifts a stop."""

from sqlalchemy import select

from domain import audit
from domain.clock import utcnow
from domain.events.types import OrderCancelled, OrderHeld, OrderResumed
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.stock.transfers import CANCELLED, INBOUND_STATES, REQUESTED, Transfer
from extensions import db


def stop_for_order(event: OrderCancelled | OrderHeld) -> None:
    cancelling = isinstance(event, OrderCancelled)
    for transfer in _open_transfers(event.order_id):
        if cancelling and transfer.state == REQUESTED:
            transfer.state, transfer.cancelled_at = CANCELLED, utcnow()
        transfer.stopped_reason = event.reason
        audit.record(
            "transfer_stopped",
            "transfer",
            transfer.id,
            {"state": [None, transfer.state], "reason": [None, event.reason]},
            actor=_actor(event.actor_id),
        )


def resume_for_order(event: OrderResumed) -> None:
    for transfer in _open_transfers(event.order_id):
        if transfer.stopped_reason is not None:
            transfer.stopped_reason = None
            audit.record("transfer_resumed", "transfer", transfer.id, {}, actor=_actor(event.actor_id))


def _open_transfers(order_id: int) -> list[Transfer]:
    """Transfers naming the order's number or one of its work orders' numbers, not yet received."""
    order_number = select(Order.number).where(Order.id == order_id).scalar_subquery()
    wo_numbers = select(WorkOrder.number).where(WorkOrder.order_id == order_id)
    query = (
        select(Transfer)
        .where(Transfer.state.in_(INBOUND_STATES))
        .where((Transfer.order_ref == order_number) | Transfer.order_ref.in_(wo_numbers))
        .order_by(Transfer.id)
        .with_for_update()
    )
    return list(db.session.scalars(query))


def _actor(user_id: int | None):
    from domain.users import User

    return db.session.get(User, user_id) if user_id else None
