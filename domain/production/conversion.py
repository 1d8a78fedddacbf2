"""Convert to production (转生产, DESIGN §4): a confirmed order becomes a work order in one
transaction — its number, the locked BOM version, the operations of the routing, the team's task
card and the order's move to `scheduling`, all audited. Nothing is pushed here: the event mechanism sends the
card after the commit (the WorkOrderConverted event's notifier)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from domain import audit, boms, events, roles, stage_machine
from domain.clock import utcnow
from domain.errors import DomainError
from domain.events.types import WorkOrderConverted
from domain.masterdata import BomVersion, RoutingStep, Team
from domain.orders.models import Order
from domain.orders.service import load_order, plant_today
from domain.production import numbering, planning
from domain.production.models import CANCELLED, ON_HOLD, Machine, Operation, TaskCard, WorkOrder
from domain.production.stages import move_order
from domain.scheduling import replan
from domain.transactions import write_transaction
from extensions import db

CONVERTERS = frozenset({roles.PLANNER, roles.ADMIN})
STOPPED = (ON_HOLD, CANCELLED)  # their operations hold no machine time


@dataclass(frozen=True)
class Converted:
    work_order: WorkOrder
    card: TaskCard


def convert_to_production(order_id: int, actor: Any, team_id: int | None = None) -> Converted:
    """One write transaction (joining the caller's, e.g. the API's idempotency layer)."""
    if not actor.has_any_role(CONVERTERS):
        raise DomainError("forbidden", _("Only a planner converts orders to production."), status=403)
    with write_transaction():
        order = load_order(order_id, lock=True)
        _check_convertible(order)
        steps = _routing(order)
        bom = _active_bom(order)
        team = _team(team_id, steps[0].workshop_id)
        # The day's counter row is locked from here to the commit: conversions run one after another.
        work_order = WorkOrder(
            number=numbering.work_order_number(plant_today()),
            order_id=order.id,
            product_id=order.product_id,
            bom_version_id=bom.id,
            quantity=order.quantity,
            team_id=team.id,
            created_by_id=actor.id,
        )
        work_order.operations = _operations(steps, order, utcnow())
        work_order.planned_start = work_order.operations[0].planned_start
        work_order.planned_end = work_order.operations[-1].planned_end
        boms.lock_bom_version(bom)
        db.session.add(work_order)
        db.session.flush()
        replan.place_work_order(work_order, actor)  # by due date and priority among the plan, not appended
        card = new_card(work_order, order, team)
        db.session.add(card)
        db.session.flush()  # defaults (status, created_at) filled before anyone reads the card
        if order.stage == stage_machine.CONFIRMED:
            move_order(order, stage_machine.SCHEDULING, actor)
        audit.record(
            "work_order_create",
            "work_order",
            work_order.id,
            {
                "number": [None, work_order.number],
                "order": [None, order.number],
                "bom_version": [None, bom.id],
            },
            actor=actor,
        )
        events.record(WorkOrderConverted(actor.id, work_order.id, card.id))
    return Converted(work_order, card)


def _check_convertible(order: Order) -> None:
    """A confirmed order; or one already moved to scheduling by hand (the order page's stage button)
    that has no work order yet. Anything else is 409."""
    has_work_order = (
        db.session.execute(select(WorkOrder.id).where(WorkOrder.order_id == order.id).limit(1)).first()
        is not None
    )
    if has_work_order:
        raise DomainError(
            "already_converted",
            _("Order %(number)s is already in production.", number=order.number),
            status=409,
        )
    if order.stage != stage_machine.SCHEDULING:
        stage_machine.check_transition(order.stage, stage_machine.SCHEDULING)


def new_card(work_order: WorkOrder, order: Order, team: Team, note: str = "") -> TaskCard:
    return TaskCard(
        work_order_id=work_order.id,
        team_id=team.id,
        seq=numbering.next_card_seq(team.id),
        title=f"{work_order.number} · {order.product.model}",
        product_model=order.product.model,
        quantity=work_order.quantity,
        due_date=order.due_date,
        note=note or (order.color_notes or ""),
    )


def _routing(order: Order) -> list[RoutingStep]:
    steps = list(
        db.session.execute(
            select(RoutingStep).where(RoutingStep.product_id == order.product_id).order_by(RoutingStep.seq)
        ).scalars()
    )
    if not steps:
        raise DomainError(
            "no_routing",
            _(
                "Product %(model)s has no routing: add its steps before converting.",
                model=order.product.model,
            ),
            status=409,
        )
    return steps


def _active_bom(order: Order) -> BomVersion:
    query = select(BomVersion).where(BomVersion.product_id == order.product_id, BomVersion.status == "active")
    bom = db.session.execute(query.with_for_update()).scalar_one_or_none()
    if bom is None:
        raise DomainError(
            "no_active_bom",
            _("Product %(model)s has no active BOM version.", model=order.product.model),
            status=409,
        )
    return bom


def _team(team_id: int | None, first_workshop_id: int) -> Team:
    """The team asked for, else the first active team with a leader in the first step's workshop."""
    query = select(Team).where(Team.active.is_(True), Team.leader_id.is_not(None))
    if team_id is not None:
        team = db.session.execute(query.where(Team.id == team_id)).scalar_one_or_none()
    else:
        query = query.where(Team.workshop_id == first_workshop_id).order_by(Team.id).limit(1)
        team = db.session.execute(query).scalar_one_or_none()
    if team is None:
        raise DomainError(
            "no_team",
            _("Choose an active team that has a leader."),
            {"team_id": _("No such team with a leader.")},
            status=422 if team_id is not None else 409,
        )
    return team


def _operations(steps: list[RoutingStep], order: Order, now: datetime) -> list[Operation]:
    workshop_ids = {s.workshop_id for s in steps}
    busy = (
        select(Machine.id, Machine.workshop_id, func.max(Operation.planned_end))
        .outerjoin(Operation, (Operation.machine_id == Machine.id) & Operation.status.not_in(STOPPED))
        .where(Machine.workshop_id.in_(workshop_ids), Machine.active.is_(True))
        .group_by(Machine.id, Machine.workshop_id)
    )
    free: dict[int, list[tuple[int, datetime | None]]] = {}
    for machine_id, workshop_id, last_end in db.session.execute(busy):
        free.setdefault(workshop_id, []).append((machine_id, last_end))
    planned = planning.plan(
        [planning.Step(s.seq, s.name, s.workshop_id, s.setup_minutes, s.seconds_per_unit) for s in steps],
        order.quantity,
        now,
        free,
    )
    return [
        Operation(
            seq=p.seq,
            name=p.name,
            workshop_id=p.workshop_id,
            machine_id=p.machine_id,
            planned_start=p.start,
            planned_end=p.end,
        )
        for p in planned
    ]
