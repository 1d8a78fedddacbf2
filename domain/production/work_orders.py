"""Reading work orders: one with everything its page shows, a page of them, an order's, and the
change notices that concern a work order (its order's spec changes and its model's process notices)."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from domain.errors import NotFound
from domain.masterdata import Team
from domain.orders import changes
from domain.orders.changes import PROCESS, ChangeNotice, ChangeRecipient
from domain.production import models as m
from extensions import db


def get_work_order(work_order_id: int) -> m.WorkOrder:
    query = (
        select(m.WorkOrder)
        .options(
            joinedload(m.WorkOrder.order),
            joinedload(m.WorkOrder.product),
            joinedload(m.WorkOrder.bom_version),
            joinedload(m.WorkOrder.team).joinedload(Team.leader),
            selectinload(m.WorkOrder.operations).joinedload(m.Operation.workshop),
            selectinload(m.WorkOrder.operations).joinedload(m.Operation.machine),
        )
        .where(m.WorkOrder.id == work_order_id)
    )
    work_order = db.session.execute(query).scalar_one_or_none()
    if work_order is None:
        raise NotFound("work order", work_order_id)
    return work_order


def list_work_orders(status: str | None = None, limit: int = 100) -> list[m.WorkOrder]:
    """Open work orders first (by planned start), then finished ones, newest first."""
    query = (
        select(m.WorkOrder)
        .options(joinedload(m.WorkOrder.order), joinedload(m.WorkOrder.product), joinedload(m.WorkOrder.team))
        .order_by(m.WorkOrder.status == m.FINISHED, m.WorkOrder.planned_start, m.WorkOrder.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(m.WorkOrder.status == status)
    return list(db.session.execute(query).scalars())


def work_orders_of(order_id: int) -> list[m.WorkOrder]:
    query = select(m.WorkOrder).where(m.WorkOrder.order_id == order_id).order_by(m.WorkOrder.id)
    return list(db.session.execute(query.options(joinedload(m.WorkOrder.team))).scalars())


def cards_of(work_order_id: int) -> list[m.TaskCard]:
    query = select(m.TaskCard).where(m.TaskCard.work_order_id == work_order_id).order_by(m.TaskCard.id)
    return list(db.session.execute(query).scalars())


def active_teams() -> list[Team]:
    """Teams a planner may assign: active and led by somebody."""
    query = (
        select(Team)
        .options(joinedload(Team.workshop))
        .where(Team.active.is_(True), Team.leader_id.is_not(None))
        .order_by(Team.code)
    )
    return list(db.session.execute(query).scalars())


def notices_for(work_order: m.WorkOrder) -> list[ChangeNotice]:
    """Its order's spec changes and its model's process notices, newest first, recipients loaded."""
    query = (
        select(ChangeNotice)
        .options(selectinload(ChangeNotice.recipients).joinedload(ChangeRecipient.user))
        .where(
            or_(
                ChangeNotice.order_id == work_order.order_id,
                (ChangeNotice.kind == PROCESS) & (ChangeNotice.product_id == work_order.product_id),
            )
        )
        .order_by(ChangeNotice.created_at.desc(), ChangeNotice.id.desc())
    )
    return list(db.session.execute(query).scalars())


def pending_notices(
    user_id: int, order_ids: Iterable[int], product_ids: Iterable[int]
) -> list[dict[str, Any]]:
    """The changes this user has not acknowledged on these orders (spec) or models (process): what a
    leader's cards and a work order page keep highlighted until acknowledged."""
    order_ids, product_ids = list(set(order_ids)), list(set(product_ids))
    if not order_ids and not product_ids:
        return []
    query = (
        select(ChangeNotice)
        .join(ChangeRecipient, ChangeRecipient.notice_id == ChangeNotice.id)
        .options(joinedload(ChangeNotice.order), joinedload(ChangeNotice.product))
        .where(
            ChangeRecipient.user_id == user_id,
            ChangeRecipient.acknowledged_at.is_(None),
            or_(
                ChangeNotice.order_id.in_(order_ids),
                (ChangeNotice.kind == PROCESS) & ChangeNotice.product_id.in_(product_ids),
            ),
        )
        .order_by(ChangeNotice.created_at, ChangeNotice.id)
    )
    return [changes.payload(n) for n in db.session.execute(query).scalars()]
