"""Demo production (DESIGN §4): machines in every workshop, and a work order with its operations and
task card for every demo order already in production — finished for those awaiting QC or shipped
(every shipped order, so quality's final inspections give OHDI a first-pass yield each month),
running for those in production, released (two still unread) for those being scheduled — so the
demo leader's phone and the Gantt have something to show. Called by demo_plant.py."""

import math
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain import stage_machine
from domain.clock import plant_date, utcnow
from domain.masterdata import BomVersion, Product, Team, Workshop
from domain.orders.models import Order
from domain.production import models as m
from domain.production.numbering import WORK_ORDER_PREFIX
from domain.production.planning import Step, plan
from extensions import db

MACHINES = {
    "WS-IM": (
        ("IM-01", "注塑机 1# 海天 MA900"),
        ("IM-02", "注塑机 2# 海天 MA1600"),
        ("IM-03", "注塑机 3# 震雄 EM250"),
        ("IM-04", "注塑机 4# 伊之密 UN280"),
    ),
    "WS-SP": (("SP-01", "喷涂线 1#"), ("SP-02", "丝印机 1#")),
    "WS-AS": (("AS-01", "装配线 1#"), ("AS-02", "装配线 2#")),
}
TONNAGE = {"IM-01": 90, "IM-02": 160, "IM-03": 250, "IM-04": 280}  # clamping force of the presses, t
# Stage → (work order status, card status); scheduled orders' cards wait to be read or started.
STATES = {
    stage_machine.SCHEDULING: (m.RELEASED, m.CARD_NEW),
    stage_machine.IN_PRODUCTION: (m.IN_PROGRESS, m.CARD_STARTED),
    stage_machine.AWAITING_QC: (m.FINISHED, m.FINISHED),
    stage_machine.SHIPPED: (m.FINISHED, m.FINISHED),
}
UNREAD_CARDS = 2  # the newest scheduled cards stay unacknowledged: the demo leader taps 已接收


def seed_production(today: date, zone: tzinfo, users: dict) -> None:
    machines = _machines()
    orders = _orders()
    teams = _molding_teams()
    free: dict[int, dict[int, datetime | None]] = {}
    for ws, rows in machines.items():
        free[ws] = {machine.id: None for machine in rows}
    counters: dict[str, int] = {}
    now = utcnow()
    scheduled = [o for o in orders if o.stage == stage_machine.SCHEDULING]
    unread = {o.id for o in scheduled[-UNREAD_CARDS:]}
    for n, order in enumerate(orders):
        team = teams[0] if n % 3 else teams[-1]  # two cards in three for the demo login "leader"
        _work_order(order, team, free, counters, now, zone, users, order.id in unread)
    db.session.add_all(m.ProductionCounter(scope=scope, value=value) for scope, value in counters.items())
    db.session.flush()


def _machines() -> dict[int, list[m.Machine]]:
    workshops = {w.code: w for w in db.session.execute(select(Workshop)).scalars()}
    out: dict[int, list[m.Machine]] = {}
    for code, rows in MACHINES.items():
        shop = workshops[code]
        out[shop.id] = [
            m.Machine(workshop_id=shop.id, code=c, name=name, tonnage=TONNAGE.get(c)) for c, name in rows
        ]
        db.session.add_all(out[shop.id])
    db.session.flush()
    return out


def _orders() -> list[Order]:
    """Orders past confirmation, in the order their work was planned."""
    query = (
        select(Order)
        .options(selectinload(Order.stage_events), selectinload(Order.product).selectinload(Product.routing))
        .where(Order.stage.in_(tuple(STATES)))
        .order_by(Order.created_at, Order.id)
    )
    rows = list(db.session.execute(query).scalars())
    # What already ran takes the machines first, then what runs now, then what is only scheduled.
    rank = {stage: n for n, stage in enumerate(reversed(tuple(STATES)))}
    return sorted(rows, key=lambda o: (rank[o.stage], _scheduled_at(o), o.id))


def _molding_teams() -> list[Team]:
    query = select(Team).join(Workshop, Team.workshop_id == Workshop.id).where(Workshop.code == "WS-IM")
    return list(db.session.execute(query.order_by(Team.code)).scalars())


def _scheduled_at(order: Order) -> datetime:
    moved = [e.at for e in order.stage_events if e.to_stage == stage_machine.SCHEDULING]
    return moved[0] if moved else order.created_at


def _work_order(order, team, free, counters, now, zone, users, unread) -> None:
    scheduled_at = _scheduled_at(order)
    day = plant_date(scheduled_at, zone)
    scope = f"wo:{day:%Y%m%d}"
    counters[scope] = counters.get(scope, 0) + 1
    bom = db.session.execute(
        select(BomVersion).where(BomVersion.product_id == order.product_id, BomVersion.status == "active")
    ).scalar_one()
    bom.locked = True
    steps = [
        Step(s.seq, s.name, s.workshop_id, s.setup_minutes, s.seconds_per_unit) for s in order.product.routing
    ]
    status, card_status = STATES[order.stage]
    earliest = scheduled_at + timedelta(hours=2) if status != m.RELEASED else max(now, scheduled_at)
    planned = plan(steps, order.quantity, earliest, {ws: list(f.items()) for ws, f in free.items()})
    for p in planned:
        if p.machine_id is not None:
            free[p.workshop_id][p.machine_id] = p.end
    work_order = m.WorkOrder(
        number=f"{WORK_ORDER_PREFIX}-{day:%Y%m%d}-{counters[scope]:04d}",
        order_id=order.id,
        product_id=order.product_id,
        bom_version_id=bom.id,
        quantity=order.quantity,
        team_id=team.id,
        status=status,
        planned_start=planned[0].start,
        planned_end=planned[-1].end,
        created_at=scheduled_at,
        created_by_id=users["planner"].id,
    )
    work_order.operations = [_operation(p, status, order.quantity, now) for p in planned]
    _progress(work_order, status)
    db.session.add(work_order)
    db.session.flush()
    card_scope = f"card:{team.id}"
    counters[card_scope] = counters.get(card_scope, 0) + 1
    db.session.add(_card(work_order, order, team, counters[card_scope], card_status, unread, users))


def _operation(p, status: str, quantity: Decimal, now: datetime) -> m.Operation:
    if status == m.FINISHED:
        state = m.DONE
    elif status == m.IN_PROGRESS:
        state = m.DONE if p.end <= now else m.STARTED if p.start <= now else m.PENDING
    else:
        state = m.PENDING
    op = m.Operation(
        seq=p.seq,
        name=p.name,
        workshop_id=p.workshop_id,
        machine_id=p.machine_id,
        planned_start=p.start,
        planned_end=p.end,
        status=state,
    )
    if state == m.DONE:
        op.good_qty, op.scrap_qty = _split(quantity)
    return op


def _split(quantity: Decimal) -> tuple[Decimal, Decimal]:
    """About 1.2% scrap, in whole pieces."""
    scrap = Decimal(math.ceil(quantity * Decimal("0.012")))
    return quantity - scrap, scrap


def _progress(work_order: m.WorkOrder, status: str) -> None:
    if status == m.FINISHED:
        work_order.good_qty, work_order.scrap_qty = _split(work_order.quantity)
    elif status == m.IN_PROGRESS:
        first = work_order.operations[0]
        if first.status == m.DONE:
            work_order.good_qty, work_order.scrap_qty = first.good_qty, first.scrap_qty
        else:  # about a third of the first step made so far
            made = (work_order.quantity / 3).quantize(Decimal(1))
            work_order.good_qty, work_order.scrap_qty = _split(made)
            first.good_qty, first.scrap_qty = work_order.good_qty, work_order.scrap_qty


def _card(work_order, order, team, seq, status, unread, users) -> m.TaskCard:
    created = work_order.created_at
    card = m.TaskCard(
        work_order_id=work_order.id,
        team_id=team.id,
        seq=seq,
        status=m.ACKNOWLEDGED if status == m.CARD_NEW and not unread else status,
        title=f"{work_order.number} · {order.product.model}",
        product_model=order.product.model,
        quantity=work_order.quantity,
        due_date=order.due_date,
        note=order.color_notes or "",
        created_at=created,
    )
    if card.status != m.CARD_NEW:
        card.acknowledged_at = created + timedelta(minutes=12)
        card.acknowledged_by_id = team.leader_id
        if work_order.status == m.RELEASED:
            work_order.status = m.ACKNOWLEDGED
    if status in (m.CARD_STARTED, m.FINISHED):
        card.started_at = work_order.planned_start
    if status == m.FINISHED:
        card.finished_at = work_order.planned_end
    return card
