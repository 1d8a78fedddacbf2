"""Who is told what after each domain event commits (DESIGN §3.0, §4): the notifiers turn an event
into Socket.IO deliveries (read inside the transaction, so they show what committed), and the channel
below sends them once the commit is done. domain/events/reactions.py holds the in-transaction side."""

import time
from collections.abc import Iterator

from flask import has_app_context
from sqlalchemy import select

from domain.events import Delivery, add_channel, notifies_on
from domain.events.types import (
    FirstArticleRequested,
    InspectionRecorded,
    NoticeAcknowledged,
    OrderCancelled,
    OrderHeld,
    OrderResumed,
    ProcessChanged,
    RushRequested,
    SpecChanged,
    TaskCardChanged,
    WorkOrderConverted,
)
from domain.orders import changes
from domain.orders.models import Order
from domain.orders.rush_requests import RushRequest
from domain.production import task_cards
from domain.production.card_payload import card_payload
from domain.production.models import TaskCard, WorkOrder
from extensions import db, socketio
from realtime import app_server

CARD_EVENT = "task_card"  # a new card
CARD_UPDATE_EVENT = "task_card_update"  # a card's status, text or quantities changed
WORK_ORDER_EVENT = "work_order_update"  # for planners' dashboards
NOTICE_EVENT = "change_notice"
ACKED_EVENT = "change_acknowledged"
ORDER_EVENT = "order_update"  # an order was put on hold, resumed or cancelled
FIRST_ARTICLE_EVENT = "first_article_request"
RUSH_EVENT = "rush_pending"
WATCHERS = ("role:planner", "role:admin")
STAMPED = frozenset({CARD_EVENT, CARD_UPDATE_EVENT})  # carry `pushed_at`: phones measure delivery


def team_room(team_id: int) -> str:
    return f"team:{team_id}"


def send(delivery: Delivery) -> None:
    """Through the Socket.IO server of the app that committed: a process holding two apps (tests, a
    tool beside the web app) must not send one app's events to the other's clients."""
    body = {**delivery.body, "pushed_at": time.time()} if delivery.name in STAMPED else delivery.body
    server = app_server() if has_app_context() else socketio.server
    server.emit(delivery.name, body, to=delivery.to, namespace="/")


add_channel(send)


# ---- production ----


@notifies_on(WorkOrderConverted)
def new_card(event: WorkOrderConverted) -> Iterator[Delivery]:
    card = task_cards.get_card(event.card_id)
    yield Delivery(CARD_EVENT, card_payload(card), team_room(card.team_id))
    yield from _work_order_changed(card)


@notifies_on(TaskCardChanged)
def card_changed(event: TaskCardChanged) -> Iterator[Delivery]:
    yield from _card_updates(TaskCard.id == event.card_id)


@notifies_on(InspectionRecorded)
def inspected(event: InspectionRecorded) -> Iterator[Delivery]:
    if event.work_order_id is not None:
        yield from _card_updates(TaskCard.work_order_id == event.work_order_id)


@notifies_on(FirstArticleRequested)
def first_article_requested(event: FirstArticleRequested) -> Iterator[Delivery]:
    work_order = db.session.get(WorkOrder, event.work_order_id)
    body = {
        "work_order_id": work_order.id,
        "number": work_order.number,
        "product_model": work_order.product.model,
    }
    yield Delivery(FIRST_ARTICLE_EVENT, body, "role:qc")
    yield from _card_updates(TaskCard.work_order_id == work_order.id)


# ---- orders ----


@notifies_on(OrderCancelled, OrderHeld, OrderResumed)
def order_stopped_or_resumed(event: OrderCancelled | OrderHeld | OrderResumed) -> Iterator[Delivery]:
    order = db.session.get(Order, event.order_id)
    body = {"id": order.id, "number": order.number, "stage": order.stage, "reason": order.stop_reason}
    rooms = {*WATCHERS, "role:warehouse"} | (
        {f"user:{order.created_by_id}"} if order.created_by_id else set()
    )
    for room in sorted(rooms):
        yield Delivery(ORDER_EVENT, body, room)
    yield from _card_updates(
        TaskCard.work_order_id.in_(select(WorkOrder.id).where(WorkOrder.order_id == order.id))
    )


@notifies_on(SpecChanged, ProcessChanged)
def notice_issued(event: SpecChanged | ProcessChanged) -> Iterator[Delivery]:
    """Each recipient's phones get the notice at once (an offline one finds it in the inbox); the
    cards of the order follow its new spec."""
    notice = changes.get_notice(event.notice_id)
    body = changes.payload(notice)
    for recipient in notice.recipients:
        if recipient.acknowledged_at is None:
            yield Delivery(NOTICE_EVENT, body, f"user:{recipient.user_id}")
    if isinstance(event, SpecChanged):
        orders = select(WorkOrder.id).where(WorkOrder.order_id == event.order_id)
        yield from _card_updates(TaskCard.work_order_id.in_(orders))


@notifies_on(NoticeAcknowledged)
def notice_acknowledged(event: NoticeAcknowledged) -> Iterator[Delivery]:
    """The user's other devices stop highlighting; the author sees who has read it."""
    notice = changes.get_notice(event.notice_id)
    mine = next(r for r in notice.recipients if r.user_id == event.user_id)
    body = {
        "id": notice.id,
        "user_id": mine.user_id,
        "acknowledged_at": mine.acknowledged_at.isoformat() + "Z" if mine.acknowledged_at else None,
        "completed": notice.completed_at is not None,
        "response_seconds": notice.response_seconds,
    }
    yield Delivery(ACKED_EVENT, body, f"user:{mine.user_id}")
    if notice.created_by_id:
        yield Delivery(ACKED_EVENT, body, f"user:{notice.created_by_id}")


@notifies_on(RushRequested)
def rush_requested(event: RushRequested) -> Iterator[Delivery]:
    rush = db.session.get(RushRequest, event.rush_id)
    yield Delivery(RUSH_EVENT, {"id": rush.id, "order_number": rush.order.number}, "role:vp")


# ---- shared ----


def _card_updates(which) -> Iterator[Delivery]:
    for card in db.session.scalars(task_cards.card_query().where(which).order_by(TaskCard.id)).unique():
        yield Delivery(CARD_UPDATE_EVENT, card_payload(card), team_room(card.team_id))
        yield from _work_order_changed(card)


def _work_order_changed(card: TaskCard) -> Iterator[Delivery]:
    work_order = card.work_order
    body = {
        "id": work_order.id,
        "number": work_order.number,
        "status": work_order.status,
        "order_id": work_order.order_id,
        "order_stage": work_order.order.stage,
        "team_id": work_order.team_id,
        "card_status": card.status,
    }
    for room in WATCHERS:
        yield Delivery(WORK_ORDER_EVENT, body, room)
