"""Task cards over Socket.IO (DESIGN §4): a new card or a card's change goes to the team's room once
the transaction that made it has committed; a (re)connecting phone subscribes with the last card seq
it saw per team and gets every card after it, in order, as the acknowledgement.

Subscribe joins the rooms before it reads the database, so a card committed in between arrives both
live and in the replay, never in neither; the phone drops the second copy by card id."""

import time
from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import join_room
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from domain.production import task_cards
from domain.production.card_payload import card_payload
from domain.production.models import TaskCard
from domain.transactions import in_write_transaction
from extensions import db, socketio

CARD_EVENT = "task_card"  # a new card
UPDATE_EVENT = "task_card_update"  # a card's status or quantities changed
WORK_ORDER_EVENT = "work_order_update"  # for planners' dashboards
SUBSCRIBE_EVENT = "task_cards_subscribe"
WATCHERS = ("role:planner", "role:admin")
_QUEUE = "task_card_emits"


def team_room(team_id: int) -> str:
    return f"team:{team_id}"


def _emit(name: str, body: dict[str, Any], room: str) -> None:
    """At once when nothing is open; inside an open write transaction once it commits, never if it
    rolls back."""
    if in_write_transaction():
        db.session.info.setdefault(_QUEUE, []).append((name, body, room))
    else:
        _send(name, body, room)


def _send(name: str, body: dict[str, Any], room: str) -> None:
    """`pushed_at` (server epoch seconds, after the commit) lets a client measure delivery time."""
    socketio.emit(name, {**body, "pushed_at": time.time()}, to=room)


@event.listens_for(Session, "after_commit")
def _send_queued(session) -> None:
    for name, body, room in session.info.pop(_QUEUE, []):
        _send(name, body, room)


@event.listens_for(Session, "after_rollback")
def _drop_queued(session) -> None:
    session.info.pop(_QUEUE, None)


def push_new_card(card: TaskCard) -> None:
    _emit(CARD_EVENT, card_payload(card), team_room(card.team_id))
    _work_order_changed(card)


def push_card_update(card: TaskCard) -> None:
    _emit(UPDATE_EVENT, card_payload(card), team_room(card.team_id))
    _work_order_changed(card)


def _work_order_changed(card: TaskCard) -> None:
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
        _emit(WORK_ORDER_EVENT, body, room)


@socketio.on(SUBSCRIBE_EVENT)
def on_subscribe(data: Any = None) -> dict[str, Any]:
    """{"after": {"<team id>": last seq seen}} → {"ok": true, "teams": [...], "cards": [...], "more"}:
    the cards after those seqs, per team in seq order (a team not named: its open cards); `more`
    when the answer was cut at REPLAY_LIMIT, so the phone asks again from where it got to."""
    if not current_user.is_authenticated:
        return {"ok": False, "error": {"code": "unauthorized", "message": _("Please sign in first.")}}
    after = _after(data)
    if after is None:
        message = _("Say the last card seen per team as numbers.")
        return {"ok": False, "error": {"code": "validation_error", "message": message}}
    team_ids = task_cards.led_team_ids(current_user)
    for team_id in team_ids:
        join_room(team_room(team_id))
    cards = [card_payload(c) for c in task_cards.cards_after(team_ids, after)]
    return {"ok": True, "teams": team_ids, "cards": cards, "more": len(cards) == task_cards.REPLAY_LIMIT}


def _after(data: Any) -> dict[int, int] | None:
    raw = data.get("after", {}) if isinstance(data, dict) else {}
    if not isinstance(raw, dict):
        return None
    try:
        return {int(team): int(seq) for team, seq in raw.items()}
    except (TypeError, ValueError):
        return None
