"""What goes into the outbox for each event (DESIGN §4 "Notifications"), written by reactions in the
event's own transaction: the card and its leader, a change notice and its recipients, a first-article
request and QC, a rush request and the VP. A person gets a WeCom app message when WeCom is set up and
their profile has their WeCom userid; a team whose robot is set up gets the card in its group too.
Each row's key is stable, so an event never queues the same message twice."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from domain import clock, roles
from domain.delivery import rules
from domain.delivery.models import (
    WEB_PUSH,
    WECOM_APP,
    WECOM_ROBOT,
    NotificationSetting,
    OutboxMessage,
    PushSubscription,
)
from domain.events.types import (
    FirstArticleRequested,
    ProcessChanged,
    RushRequested,
    SpecChanged,
    WorkOrderConverted,
)
from domain.masterdata import Team
from domain.orders import changes
from domain.production.models import TaskCard, WorkOrder
from domain.quantities import plain
from domain.users import User, UserRole
from extensions import db

TASK_CARD, CHANGE_NOTICE, FIRST_ARTICLE, RUSH = (
    rules.TASK_CARD,
    rules.CHANGE_NOTICE,
    rules.FIRST_ARTICLE,
    rules.RUSH,
)


def wecom_app_on() -> bool:
    config = current_app.config
    return bool(config.get("WECOM_CORP_ID") and config.get("WECOM_SECRET") and config.get("WECOM_AGENT_ID"))


def card_converted(event: WorkOrderConverted) -> None:
    card = db.session.get(TaskCard, event.card_id)
    work_order = db.session.get(WorkOrder, event.work_order_id)
    team = db.session.get(Team, card.team_id)

    def message() -> rules.Message:
        due = card.due_date.isoformat() if card.due_date else "—"
        body = _(
            "%(model)s × %(qty)s, due %(due)s. %(note)s",
            model=card.product_model,
            qty=plain(card.quantity),
            due=due,
            note=card.note or "",
        )
        title = _("New task card %(number)s", number=work_order.number)
        return rules.Message(title, body.strip(), f"/leader#card-{card.id}")  # the leader's page opens at it

    leader = db.session.get(User, team.leader_id) if team.leader_id else None
    queue(TASK_CARD, card.id, message, [leader] if leader else [], team)


def notice_issued(event: SpecChanged | ProcessChanged) -> None:
    notice = changes.get_notice(event.notice_id)

    def message() -> rules.Message:
        if notice.kind == changes.SPEC:
            title = _("Customer change to %(number)s", number=notice.order.number)
            body = "; ".join(
                f"{field}: {pair[0] or '—'} → {pair[1] or '—'}" for field, pair in notice.changes.items()
            )
        else:
            title = _(
                "Process change on %(model)s: %(title)s", model=notice.product.model, title=notice.title
            )
            body = notice.body
        return rules.Message(title, body, "/changes/")

    users = [r.user for r in notice.recipients if r.acknowledged_at is None]
    queue(CHANGE_NOTICE, notice.id, message, users)


def first_article_requested(event: FirstArticleRequested) -> None:
    work_order = db.session.get(WorkOrder, event.work_order_id)

    def message() -> rules.Message:
        title = _("First article waiting: %(number)s", number=work_order.number)
        return rules.Message(title, work_order.product.model, f"/quality/work-orders/{work_order.id}")

    queue(FIRST_ARTICLE, work_order.id, message, users_with(roles.QC))


def rush_requested(event: RushRequested) -> None:
    from domain.orders.rush_requests import RushRequest

    rush = db.session.get(RushRequest, event.rush_id)

    def message() -> rules.Message:
        title = _("Rush order waiting for your decision: %(number)s", number=rush.order.number)
        return rules.Message(title, rush.reason or "", f"/rush/{rush.id}")

    queue(RUSH, rush.id, message, users_with(roles.VP))


def users_with(role: str) -> list[User]:
    query = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == role, User.active.is_(True))
    )
    return list(db.session.scalars(query.order_by(User.id)))


def queue(kind: str, entity: int, message: Any, users: Iterable[User], team: Team | None = None) -> None:
    """One row per person (in their language) for WeCom and per device that turned Web Push on, as
    their settings allow (muted kinds left out, non-urgent ones held until their quiet hours end),
    and one per team robot; `message()` composes the text."""
    users = [u for u in users if u.active]
    settings = _settings({u.id for u in users})
    devices = _subscriptions({u.id for u in users})
    now = clock.plant_now()
    for user in users:
        mine = settings.get(user.id)
        muted = mine.muted if mine else []
        held = _held_until(kind, mine, now)
        with force_locale(user.locale or _default_locale()):
            if wecom_app_on() and user.wecom_userid and rules.wanted(kind, WECOM_APP, muted):
                key = f"{kind}:{entity}:{WECOM_APP}:{user.id}"
                _add(key, kind, WECOM_APP, user.wecom_userid, message(), user.id, held)
            if rules.wanted(kind, WEB_PUSH, muted):
                for subscription_id in devices.get(user.id, ()):
                    key = f"{kind}:{entity}:{WEB_PUSH}:{subscription_id}"
                    _add(key, kind, WEB_PUSH, str(subscription_id), message(), user.id, held)
    if team is not None and team.wecom_robot_key:
        with force_locale(_default_locale()):
            _add(f"{kind}:{entity}:{WECOM_ROBOT}:{team.id}", kind, WECOM_ROBOT, team.code, message(), None)


def _default_locale() -> str:
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")


def _settings(user_ids: set[int]) -> dict[int, NotificationSetting]:
    query = select(NotificationSetting).where(NotificationSetting.user_id.in_(user_ids))
    return {row.user_id: row for row in db.session.scalars(query)}


def _subscriptions(user_ids: set[int]) -> dict[int, list[int]]:
    """user → the ids of their devices with Web Push on, in one query for all recipients."""
    query = select(PushSubscription.user_id, PushSubscription.id).where(
        PushSubscription.user_id.in_(user_ids)
    )
    found: dict[int, list[int]] = {}
    for user_id, subscription_id in db.session.execute(query.order_by(PushSubscription.id)):
        found.setdefault(user_id, []).append(subscription_id)
    return found


def _held_until(kind: str, setting: NotificationSetting | None, now: datetime) -> datetime | None:
    """UTC moment the quiet hours end when a non-urgent message falls in them, else None."""
    if setting is None or kind in rules.URGENT:
        return None
    ends = rules.quiet_end(now, rules.parse_hhmm(setting.quiet_from), rules.parse_hhmm(setting.quiet_to))
    return clock.as_utc(ends) if ends else None


def _add(
    key: str,
    kind: str,
    channel: str,
    recipient: str,
    message: rules.Message,
    user_id: int | None,
    not_before: datetime | None = None,
) -> None:
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return
    db.session.add(
        OutboxMessage(
            key=key,
            kind=kind,
            channel=channel,
            recipient=recipient,
            user_id=user_id,
            title=message.title[:200],
            body=message.body[:1000],
            path=message.path,
            **({"next_attempt_at": not_before} if not_before else {}),
        )
    )
