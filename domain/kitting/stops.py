"""Material held for an order's work orders follows the order (DESIGN §3.0): a hold or cancel
releases its open reservations, in the same transaction; a resume reserves again what the hold
released, as far as the stock still allows (kitting then shows the rest as missing)."""

from decimal import Decimal

from sqlalchemy import select

from domain import audit
from domain.clock import utcnow
from domain.events.types import OrderCancelled, OrderHeld, OrderResumed
from domain.kitting.reservations import MaterialReservation
from domain.production.models import WorkOrder
from extensions import db

HOLD, CANCEL, SPEC_CHANGE = "hold", "cancel", "spec_change"


def release_for_order(event: OrderCancelled | OrderHeld) -> None:
    reason = CANCEL if isinstance(event, OrderCancelled) else HOLD
    rows = _open_reservations(WorkOrder.order_id == event.order_id)
    release(rows, reason, event.actor_id)


def release(rows: list[MaterialReservation], reason: str, actor_id: int | None) -> None:
    now = utcnow()
    for row in rows:
        row.released_at, row.release_reason = now, reason
        audit.record(
            "material_released",
            "work_order",
            row.work_order_id,
            {"reservation": row.id, "reason": [None, reason]},
            actor=actor_id and _user(actor_id),
        )


def restore_for_order(event: OrderResumed) -> None:
    """Reserve again, per work order and SKU, what the hold released (up to what is free now)."""
    from domain.kitting.service import free_to_reserve  # the kitting service reads stock: at call time

    query = (
        select(MaterialReservation)
        .join(WorkOrder, WorkOrder.id == MaterialReservation.work_order_id)
        .where(WorkOrder.order_id == event.order_id, MaterialReservation.release_reason == HOLD)
        .with_for_update(of=MaterialReservation)
    )
    for row in db.session.scalars(query):
        row.release_reason = f"{HOLD}:restored"
        work_order = db.session.get(WorkOrder, row.work_order_id)
        qty = min(row.qty, max(free_to_reserve(work_order, row.sku_id), Decimal(0)))
        if qty > 0:
            db.session.add(
                MaterialReservation(
                    work_order_id=row.work_order_id, sku_id=row.sku_id, qty=qty, created_by_id=event.actor_id
                )
            )
            db.session.flush()


def _open_reservations(*conditions) -> list[MaterialReservation]:
    query = (
        select(MaterialReservation)
        .join(WorkOrder, WorkOrder.id == MaterialReservation.work_order_id)
        .where(MaterialReservation.released_at.is_(None), *conditions)
        .with_for_update(of=MaterialReservation)
    )
    return list(db.session.scalars(query))


def open_reservations_of(work_order_id: int, sku_ids: set[int]) -> list[MaterialReservation]:
    return _open_reservations(
        MaterialReservation.work_order_id == work_order_id, MaterialReservation.sku_id.in_(sku_ids)
    )


def _user(user_id: int):
    from domain.users import User

    return db.session.get(User, user_id)
