"""The delivery outbox: one row per message and channel, with a stable key so the same event never
queues the same message twice, and the state the worker moves it through."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.clock import utcnow
from extensions import db

PENDING, SENDING, SENT = "pending", "sending", "sent"
DROPPED = "dropped"  # its recipient is gone (a push subscription the browser dropped): never retried
STATES = (PENDING, SENDING, SENT, DROPPED)
WECOM_APP, WECOM_ROBOT, WEB_PUSH = "wecom_app", "wecom_robot", "web_push"
CHANNELS = (WECOM_APP, WECOM_ROBOT, WEB_PUSH)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "state", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # kind:entity:channel:recipient
    kind: Mapped[str] = mapped_column(String(32))  # task_card | change_notice | first_article | rush
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(100))  # the WeCom userid, or the robot's team code
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(1000), default="")
    path: Mapped[str] = mapped_column(String(300), default="/")
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]  # a worker holds it until then; past it, another may retry
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class NotificationSetting(db.Model):
    """A person's choices: which kinds of message they do not want on which channel ("kind:channel"
    in `muted`), and quiet hours (plant time, "HH:MM") that hold back the non-urgent ones."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    muted: Mapped[list[str]] = mapped_column(JSON, default=list)
    quiet_from: Mapped[str | None] = mapped_column(String(5))
    quiet_to: Mapped[str | None] = mapped_column(String(5))


class PushSubscription(db.Model):
    """One browser or installed PWA that turned notifications on (Web Push): where to send, and the
    keys its messages are encrypted for."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
