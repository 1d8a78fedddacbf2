"""Task cards on a team leader's phone (DESIGN §4): which cards a leader sees, the replay after a
reconnect, and the four actions — acknowledge (已接收), start, report good/scrap, finish — each of
which moves the work order and, where it is the first or last, the order's stage."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from domain import audit, events, roles, stage_machine
from domain.clock import utcnow
from domain.errors import DomainError, NotFound
from domain.events.types import FirstArticleRequested, TaskCardChanged
from domain.masterdata import Team
from domain.production import models as m
from domain.production import work_orders
from domain.production.stages import advance_order
from domain.quality import first_article_gate
from domain.quantities import NotAQuantity, as_quantity, quantity_problem
from domain.transactions import write_transaction
from extensions import db

REPLAY_LIMIT = 200  # cards per answer; a phone told `more` asks again from the last card it got
CANCELLED_SHOWN_FOR = timedelta(days=3)


def led_team_ids(user: Any) -> list[int]:
    """The active teams this user leads (Team.leader_id) or belongs to as a leader (User.team_id)."""
    if roles.LEADER not in user.roles and roles.ADMIN not in user.roles:
        return []
    clauses = [Team.leader_id == user.id]
    if user.team_id:
        clauses.append(Team.id == user.team_id)
    query = select(Team.id).where(Team.active.is_(True), or_(*clauses)).order_by(Team.id)
    return list(db.session.execute(query).scalars())


def card_query():
    return select(m.TaskCard).options(
        joinedload(m.TaskCard.work_order).joinedload(m.WorkOrder.order),
        joinedload(m.TaskCard.work_order)
        .selectinload(m.WorkOrder.operations)
        .joinedload(m.Operation.workshop),
        joinedload(m.TaskCard.work_order)
        .selectinload(m.WorkOrder.operations)
        .joinedload(m.Operation.machine),
        joinedload(m.TaskCard.team),
        joinedload(m.TaskCard.work_order).joinedload(m.WorkOrder.product),
        joinedload(m.TaskCard.work_order).selectinload(m.WorkOrder.first_article_inspections),
    )


def open_cards(team_ids: list[int]) -> list[m.TaskCard]:
    """What a leader's page shows on load: every card not finished yet, oldest first; a card
    cancelled with its order stays for CANCELLED_SHOWN_FOR so the leader sees why it went."""
    if not team_ids:
        return []
    recently = m.TaskCard.stopped_at >= utcnow() - CANCELLED_SHOWN_FOR
    query = (
        card_query()
        .where(m.TaskCard.team_id.in_(team_ids), m.TaskCard.status != m.FINISHED)
        .where(or_(m.TaskCard.status != m.CANCELLED, recently))
        .order_by(m.TaskCard.team_id, m.TaskCard.seq)
    )
    return list(db.session.execute(query).unique().scalars())


def last_seqs(team_ids: list[int]) -> dict[int, int]:
    """team id → the highest card seq so far (0 for a team without cards)."""
    if not team_ids:
        return {}
    query = select(m.ProductionCounter.scope, m.ProductionCounter.value).where(
        m.ProductionCounter.scope.in_([f"card:{t}" for t in team_ids])
    )
    found = {int(scope.split(":", 1)[1]): value for scope, value in db.session.execute(query)}
    return {t: found.get(t, 0) for t in team_ids}


def cards_after(team_ids: list[int], after: dict[int, int]) -> list[m.TaskCard]:
    """Every card of these teams with a seq above what the phone last saw, per team in seq order:
    the replay a reconnecting phone asks for. A team the phone has no seq for replays its open cards."""
    if not team_ids:
        return []
    clauses = []
    for team_id in team_ids:
        if team_id in after:
            clauses.append((m.TaskCard.team_id == team_id) & (m.TaskCard.seq > after[team_id]))
        else:
            clauses.append((m.TaskCard.team_id == team_id) & (m.TaskCard.status != m.FINISHED))
    query = card_query().where(or_(*clauses)).order_by(m.TaskCard.team_id, m.TaskCard.seq).limit(REPLAY_LIMIT)
    return list(db.session.execute(query).unique().scalars())


def get_card(card_id: int, lock: bool = False) -> m.TaskCard:
    query = card_query().where(m.TaskCard.id == card_id)
    if lock:
        query = query.with_for_update(of=m.TaskCard)
    card = db.session.execute(query).unique().scalar_one_or_none()
    if card is None:
        raise NotFound("task card", card_id)
    return card


def may_act(user: Any, card: m.TaskCard) -> bool:
    return roles.ADMIN in user.roles or card.team_id in led_team_ids(user)


# ---- actions ----


@dataclass(frozen=True)
class Report:
    good: Decimal
    scrap: Decimal


def acknowledge(card_id: int, actor: Any) -> m.TaskCard:
    """已接收: the leader has seen the card. Acknowledging again changes nothing."""
    with write_transaction():
        card = _for_action(card_id, actor)
        if card.acknowledged_at is None:
            _acknowledge(card, actor)
            events.record(TaskCardChanged(actor.id, card.id, "acknowledge"))
    return card


def start(card_id: int, actor: Any) -> m.TaskCard:
    with write_transaction():
        card = _for_action(card_id, actor)
        if card.status in (m.CARD_NEW, m.ACKNOWLEDGED):
            _require_changes_acknowledged(card, actor)
            if card.acknowledged_at is None:
                _acknowledge(card, actor)
            card.status, card.started_at = m.CARD_STARTED, utcnow()
            work_order = card.work_order
            work_order.status = m.IN_PROGRESS
            if work_order.operations and work_order.operations[0].status == m.PENDING:
                work_order.operations[0].status = m.STARTED
            advance_order(work_order.order, stage_machine.IN_PRODUCTION, actor)
            _audit(card, "task_card_start", {"status": [m.ACKNOWLEDGED, m.CARD_STARTED]}, actor)
            events.record(TaskCardChanged(actor.id, card.id, "start"))
        elif card.status != m.CARD_STARTED:
            raise _state_error(card)
    return card


def report(card_id: int, quantities: Report, actor: Any) -> m.TaskCard:
    """Adds good and scrap pieces to the work order and to the operation now running."""
    good, scrap = _checked(quantities)
    with write_transaction():
        card = _for_action(card_id, actor)
        if card.status != m.CARD_STARTED:
            raise _state_error(card)
        _require_changes_acknowledged(card, actor)
        work_order = card.work_order
        first_article_gate.require_for_report(work_order, good)
        work_order.good_qty += good
        work_order.scrap_qty += scrap
        running = next((op for op in work_order.operations if op.status != m.DONE), None)
        if running is not None:
            running.status = m.STARTED
            running.good_qty += good
            running.scrap_qty += scrap
        _audit(card, "task_card_report", {"good": [None, str(good)], "scrap": [None, str(scrap)]}, actor)
        events.record(TaskCardChanged(actor.id, card.id, "report"))
        if first_article_gate.sample_just_made(work_order, good):  # QC is asked for the first article
            events.record(FirstArticleRequested(actor.id, work_order.id))
    return card


def finish(card_id: int, actor: Any) -> m.TaskCard:
    """The team is done: the card, its work order and every operation finish; when no other work
    order of the order is still open, the order moves on to awaiting QC."""
    with write_transaction():
        card = _for_action(card_id, actor)
        if card.status == m.FINISHED:
            return card
        if card.status != m.CARD_STARTED:
            raise _state_error(card)
        now = utcnow()
        card.status, card.finished_at = m.FINISHED, now
        work_order = card.work_order
        work_order.status = m.FINISHED
        for op in work_order.operations:
            op.status = m.DONE
        db.session.flush()
        if _all_finished(work_order.order_id):
            advance_order(work_order.order, stage_machine.AWAITING_QC, actor)
        _audit(card, "task_card_finish", {"status": [m.CARD_STARTED, m.FINISHED]}, actor)
        events.record(TaskCardChanged(actor.id, card.id, "finish"))
    return card


def _for_action(card_id: int, actor: Any) -> m.TaskCard:
    card = get_card(card_id, lock=True)
    if not may_act(actor, card):
        raise DomainError("forbidden", _("This card belongs to another team."), status=403)
    return card


def _acknowledge(card: m.TaskCard, actor: Any) -> None:
    card.acknowledged_at, card.acknowledged_by_id = utcnow(), actor.id
    if card.status == m.CARD_NEW:
        card.status = m.ACKNOWLEDGED
    if card.work_order.status == m.RELEASED:
        card.work_order.status = m.ACKNOWLEDGED
    _audit(card, "task_card_ack", {"status": [m.CARD_NEW, m.ACKNOWLEDGED]}, actor)


def _all_finished(order_id: int) -> bool:
    query = select(m.WorkOrder.id).where(
        m.WorkOrder.order_id == order_id, m.WorkOrder.status.not_in((m.FINISHED, m.CANCELLED))
    )
    return db.session.execute(query.limit(1)).first() is None


def _checked(quantities: Report) -> tuple[Decimal, Decimal]:
    problems: dict[str, str] = {}
    values: dict[str, Decimal] = {}
    for name in ("good", "scrap"):
        try:
            values[name] = as_quantity(getattr(quantities, name))
        except NotAQuantity as error:
            problems[name] = quantity_problem(error)
            continue
        if values[name] < 0:
            problems[name] = _("Cannot be negative.")
    if not problems and values["good"] == 0 and values["scrap"] == 0:
        problems["good"] = _("Report at least one piece.")
    if problems:
        raise DomainError("validation_error", _("Some fields are not valid."), problems)
    return values["good"], values["scrap"]


def _require_changes_acknowledged(card: m.TaskCard, actor: Any) -> None:
    """Until the leader acknowledges a change to what the card makes, start and report wait for it."""
    work_order = card.work_order
    pending = work_orders.pending_notices(actor.id, [work_order.order_id], [work_order.product_id])
    if pending:
        error = DomainError(
            "change_not_acknowledged",
            _("%(number)s changed: acknowledge the change first.", number=work_order.order.number),
            status=409,
        )
        error.details = {"changes": [notice["id"] for notice in pending]}
        raise error


def _state_error(card: m.TaskCard) -> DomainError:
    if card.status in (m.ON_HOLD, m.CANCELLED):
        return DomainError(
            "task_card_stopped",
            _(
                "This card is %(status)s with its order: %(reason)s",
                status=m.CARD_STATUS_LABELS[card.status],
                reason=card.work_order.stop_reason or "",
            ),
            status=409,
        )
    return DomainError(
        "task_card_state",
        _(
            "This card is %(status)s: that action is not possible now.",
            status=m.CARD_STATUS_LABELS[card.status],
        ),
        status=409,
    )


def _audit(card: m.TaskCard, action: str, changes: dict, actor: Any) -> None:
    audit.record(
        action, "task_card", card.id, {**changes, "work_order": [None, card.work_order.number]}, actor=actor
    )
