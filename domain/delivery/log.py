"""The admin's view of deliveries (DESIGN §4): what the outbox holds and in which state, how the
channels are set up (never a secret's value), and a test message to oneself through them."""

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from domain import clock
from domain.delivery import outbox, rules
from domain.delivery.models import STATES, OutboxMessage, PushSubscription
from domain.masterdata import Team
from domain.transactions import write_transaction
from extensions import db

TEST = "test"


@dataclass(frozen=True)
class Setup:
    wecom_app: bool
    corp_id: str | None
    agent_id: str | None
    robots: int
    push_devices: int


def setup() -> Setup:
    config = current_app.config
    robots = db.session.scalar(
        select(func.count(Team.id)).where(Team.wecom_robot_key.is_not(None), Team.wecom_robot_key != "")
    )
    devices = db.session.scalar(select(func.count(PushSubscription.id)))
    return Setup(
        outbox.wecom_app_on(),
        config.get("WECOM_CORP_ID"),
        config.get("WECOM_AGENT_ID"),
        robots or 0,
        devices or 0,
    )


def counts() -> dict[str, int]:
    found = dict(
        db.session.execute(
            select(OutboxMessage.state, func.count(OutboxMessage.id)).group_by(OutboxMessage.state)
        ).all()
    )
    return {state: found.get(state, 0) for state in STATES}


def recent(state: str | None = None, limit: int = 100) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if state in STATES:
        query = query.where(OutboxMessage.state == state)
    return list(db.session.scalars(query))


def send_test(user: Any) -> int:
    """Queue a test message to `user` on every channel that reaches them, and to every team robot;
    returns how many rows were queued (0: no channel reaches them yet)."""
    stamp = clock.plant_now().strftime("%Y%m%d%H%M%S")
    entity = int(stamp) * 1000 + user.id % 1000  # a key of its own for each test

    def message() -> rules.Message:
        return rules.Message(
            _("Test message from Order Helper"),
            _("If you can read this, the channel works."),
            "/admin/delivery",
        )

    with write_transaction():
        before = db.session.scalar(select(func.count(OutboxMessage.id)))
        outbox.queue(TEST, entity, message, [user])
        for team in db.session.scalars(
            select(Team).where(Team.wecom_robot_key.is_not(None), Team.wecom_robot_key != "")
        ):
            outbox.queue(TEST, entity, message, [], team)
        db.session.flush()
        return db.session.scalar(select(func.count(OutboxMessage.id))) - before
