"""The outbox worker: claims due rows in one short transaction, sends each outside any transaction,
and records each result in its own, so a crash re-sends at most the message in flight (and WeCom's
duplicate check drops that repeat). A failure puts the row back with a growing wait; a row whose
worker died is taken again once its lease runs out."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from domain.clock import utcnow
from domain.delivery import rules, webpush, wecom
from domain.delivery.models import (
    DROPPED,
    PENDING,
    SENDING,
    SENT,
    WEB_PUSH,
    WECOM_APP,
    WECOM_ROBOT,
    OutboxMessage,
)
from domain.masterdata import Team
from domain.transactions import write_transaction
from extensions import db

LEASE = timedelta(minutes=2)
BATCH = 50
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    id: int
    channel: str
    recipient: str
    title: str
    body: str
    path: str


Sender = Callable[[Outgoing], None]


def claim(now: datetime, limit: int = BATCH) -> list[Outgoing]:
    due = or_(
        and_(OutboxMessage.state == PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.state == SENDING, OutboxMessage.lease_until < now),
    )
    query = (
        select(OutboxMessage)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # two workers on PostgreSQL take different rows
    )
    with write_transaction():
        rows = list(db.session.scalars(query))
        for row in rows:
            row.state, row.lease_until, row.attempts = SENDING, now + LEASE, row.attempts + 1
        return [Outgoing(r.id, r.channel, r.recipient, r.title, r.body, r.path) for r in rows]


def run_once(send: Sender | None = None, now: datetime | None = None, limit: int = BATCH) -> int:
    """Deliver what is due; returns how many were sent."""
    now = now or utcnow()
    send = send or wecom_sender()
    sent = 0
    for message in claim(now, limit):
        try:
            send(message)
        except webpush.SubscriptionGone:
            _dropped(message.id)
            continue
        except wecom.ChannelError as error:
            _retry_later(message.id, str(error), now)
            continue
        _sent(message.id)
        sent += 1
    return sent


def _sent(message_id: int) -> None:
    with write_transaction():
        row = db.session.get(OutboxMessage, message_id)
        row.state, row.sent_at, row.lease_until, row.last_error = SENT, utcnow(), None, None


def _dropped(message_id: int) -> None:
    with write_transaction():
        row = db.session.get(OutboxMessage, message_id)
        row.state, row.lease_until, row.last_error = DROPPED, None, "the browser dropped this subscription"


def _retry_later(message_id: int, error: str, now: datetime) -> None:
    log.warning("outbox message %s not delivered: %s", message_id, error)
    with write_transaction():
        row = db.session.get(OutboxMessage, message_id)
        row.state, row.lease_until, row.last_error = PENDING, None, error[:500]
        row.next_attempt_at = now + rules.backoff(row.attempts)


def wecom_sender() -> Sender:
    """Sends through the WeCom API of the app's settings (WECOM_*), links made absolute with
    PUBLIC_BASE_URL."""
    config = current_app.config
    base = config.get("WECOM_API_BASE") or wecom.DEFAULT_BASE
    public = (config.get("PUBLIC_BASE_URL") or "").rstrip("/")

    def send(message: Outgoing) -> None:
        if message.channel == WECOM_APP:
            app = wecom.AppConfig(
                config["WECOM_CORP_ID"], config["WECOM_SECRET"], int(config["WECOM_AGENT_ID"]), base
            )
            text = rules.clip(message.body or message.title, 500)
            wecom.send_textcard(app, message.recipient, message.title, text, f"{public}{message.path}")
        elif message.channel == WECOM_ROBOT:
            key = db.session.scalar(select(Team.wecom_robot_key).where(Team.code == message.recipient))
            db.session.rollback()  # a read only: end it before the next write transaction
            if not key:
                raise wecom.ChannelError(f"team {message.recipient} has no robot any more")
            content = f"**{message.title}**\n{message.body}\n[打开]({public}{message.path})"
            wecom.send_robot_markdown(base, key, rules.clip(content, 4000))
        elif message.channel == WEB_PUSH:
            body = {"title": message.title, "body": message.body, "url": message.path}
            webpush.send(int(message.recipient), body)
        else:
            raise wecom.ChannelError(f"unknown channel {message.channel}")

    return send
