"""What each role does next: the home page's cards, each built from one or two aggregate queries.
The web side (blueprints/role_cards.py) only adds the links that need its URL map."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from domain import clock, quantity_format, roles
from domain.adoption import entry_errors
from domain.clock import utcnow
from domain.masterdata import Location, Team, Warehouse, Workshop
from domain.orders import changes
from domain.orders.models import Order, OrderStageEvent
from domain.orders.rush_requests import PENDING_VP, RushRequest
from domain.stage_machine import (
    AWAITING_QC,
    CONFIRMED,
    OPEN_STAGES,
    SCHEDULING,
    SHIPPED,
    STAGE_LABELS,
)
from domain.stock import exceptions as stock_exceptions
from domain.users import User
from extensions import db

LIST_LIMIT = 5
DUE_SOON_DAYS = 7
RECENTLY_SHIPPED_DAYS = 30


@dataclass
class Figure:
    key: str
    label: str
    value: int
    tone: str = ""  # "" | "warn" | "late"


@dataclass
class Item:
    title: str
    detail: str
    note: str
    tone: str = ""
    badge: str = ""


@dataclass
class Card:
    role: str
    summary: str
    figures: list[Figure] = field(default_factory=list)
    list_title: str = ""
    items: list[Item] = field(default_factory=list)
    empty: str = ""
    link: tuple[str, str] | None = None  # (href, label)


def _count(*where) -> int:
    return db.session.execute(select(func.count(Order.id)).where(*where)).scalar_one()


def _orders(*where, order_by) -> list[Order]:
    query = (
        select(Order)
        .options(joinedload(Order.customer), joinedload(Order.product))
        .where(*where)
        .order_by(*order_by, Order.id)
        .limit(LIST_LIMIT)
    )
    return list(db.session.execute(query).scalars())


def _due_note(due: date, today: date) -> tuple[str, str]:
    days = (due - today).days
    if days < 0:
        return ngettext("%(num)d day late", "%(num)d days late", -days), "late"
    if days == 0:
        return _("due today"), "warn"
    return ngettext("due in %(num)d day", "due in %(num)d days", days), "warn" if days <= 2 else ""


def _order_item(order: Order, today: date, detail: str | None = None) -> Item:
    note, tone = _due_note(order.due_date, today)
    what = f"{order.product.model} × {quantity_format.quantity(order.quantity, 'pcs')}"
    return Item(order.number, detail or f"{order.customer.name} · {what}", note, tone, order.priority)


def _stage_counts(*where) -> dict[str, int]:
    rows = db.session.execute(select(Order.stage, func.count(Order.id)).where(*where).group_by(Order.stage))
    return {stage: count for stage, count in rows}


def sales_card(user: User, today: date) -> Card:
    mine = (Order.created_by_id == user.id, Order.stage.in_(OPEN_STAGES))
    counts = _stage_counts(*mine)
    due_soon = (*mine, Order.due_date <= today + timedelta(days=DUE_SOON_DAYS))
    due_count = _count(*due_soon)
    figures = [Figure(stage, str(STAGE_LABELS[stage]), counts.get(stage, 0)) for stage in OPEN_STAGES]
    figures.append(Figure("due_soon", _("Due within 7 days"), due_count, "warn" if due_count else ""))
    points = entry_errors.record_for(user, clock.plant_zone()).points
    figures.append(Figure("entry_points", _("Entry points"), points))  # DESIGN §10: /me/entry-record
    return Card(
        roles.SALES,
        _("Chase your quotes and keep an eye on the orders due this week."),
        figures,
        _("Due within 7 days"),
        [_order_item(o, today) for o in _orders(*due_soon, order_by=(Order.due_date, Order.priority))],
        _("None of your orders is due in the next 7 days."),
    )


def _changes_waiting(user: User) -> Figure:
    """Changes the user has not acknowledged yet (DESIGN §3.2): on the home page of every role that
    must acknowledge them."""
    waiting = changes.pending_count(user.id)
    return Figure("changes", _("Changes to acknowledge"), waiting, "warn" if waiting else "")


def planner_card(user: User, today: date) -> Card:
    counts = _stage_counts(Order.stage.in_((CONFIRMED, SCHEDULING)))
    waiting = _orders(Order.stage == CONFIRMED, order_by=(Order.priority, Order.due_date))
    return Card(
        roles.PLANNER,
        _("Turn confirmed orders into production work, most urgent first."),
        [
            Figure(CONFIRMED, _("Waiting to convert"), counts.get(CONFIRMED, 0)),
            Figure(SCHEDULING, str(STAGE_LABELS[SCHEDULING]), counts.get(SCHEDULING, 0)),
            _changes_waiting(user),
        ],
        _("Next to convert"),
        [_order_item(o, today) for o in waiting],
        _("No confirmed order is waiting."),
    )


def warehouse_card(user: User, today: date) -> Card:
    query = (
        select(Warehouse.name, Warehouse.code, func.count(Location.id))
        .outerjoin(Location, and_(Location.warehouse_id == Warehouse.id, Location.active.is_(True)))
        .where(Warehouse.active.is_(True))
        .group_by(Warehouse.id, Warehouse.name, Warehouse.code)
        .order_by(Warehouse.code)
    )
    rows = db.session.execute(query).all()
    items = [
        Item(name, code, ngettext("%(num)d location", "%(num)d locations", count))
        for name, code, count in rows
    ]
    return Card(
        roles.WAREHOUSE,
        _("Scan goods in, out and between locations."),
        [
            Figure("warehouses", _("Warehouses"), len(rows)),
            Figure("locations", _("Locations"), sum(count for _n, _c, count in rows)),
            _changes_waiting(user),
        ],
        _("Your warehouses"),
        items,
        _("No warehouse is set up yet; ask the administrator."),
        ("/labels/", _("Print labels")),
    )


def supervisor_card(user: User, today: date) -> Card:
    """Today's warehouse exceptions (DESIGN §6), each list as the exceptions page shows it."""
    found = stock_exceptions.exceptions(stock_exceptions.Filters(day=today), clock.plant_zone())
    lists = (
        ("refusals", _("Refusals"), found.refusals),
        ("gps_flags", _("GPS flags"), found.gps_flags),
        ("discrepancies", _("Transfer discrepancies"), found.discrepancies),
        ("adjustments", _("Adjustments"), found.adjustments),
    )
    return Card(
        roles.SUPERVISOR,
        _("Review today's refusals, GPS flags, discrepancies and adjustments; approve large adjustments."),
        [
            Figure(key, label, len(rows), "warn" if rows and key != "adjustments" else "")
            for key, label, rows in lists
        ],
    )


def leader_card(user: User, today: date) -> Card:
    query = (
        select(Team.name, Workshop.name, func.count(User.id))
        .join(Workshop, Team.workshop_id == Workshop.id)
        .outerjoin(User, and_(User.team_id == Team.id, User.active.is_(True)))
        .where(Team.active.is_(True), or_(Team.leader_id == user.id, Team.id == user.team_id))
        .group_by(Team.id, Team.name, Workshop.name)
        .order_by(Team.name)
    )
    items = [
        Item(team, workshop, ngettext("%(num)d member", "%(num)d members", members))
        for team, workshop, members in db.session.execute(query)
    ]
    return Card(
        roles.LEADER,
        _("Receive your team's task cards and report progress."),
        [_changes_waiting(user)],
        list_title=_("Your team"),
        items=items,
        empty=_("You are not assigned to a team yet; ask the administrator."),
    )


def qc_card(user: User, today: date) -> Card:
    waiting = (Order.stage == AWAITING_QC,)
    return Card(
        roles.QC,
        _("Inspect these orders; they ship once they pass."),
        [Figure(AWAITING_QC, str(STAGE_LABELS[AWAITING_QC]), _count(*waiting)), _changes_waiting(user)],
        _("Next to inspect"),
        [_order_item(o, today) for o in _orders(*waiting, order_by=(Order.due_date, Order.priority))],
        _("No order is waiting for inspection."),
    )


def _recently_shipped(today: date) -> tuple[int, list[Item]]:
    shipped = (
        select(OrderStageEvent.order_id, func.max(OrderStageEvent.at).label("at"))
        .where(
            OrderStageEvent.to_stage == SHIPPED,
            OrderStageEvent.at >= utcnow() - timedelta(days=RECENTLY_SHIPPED_DAYS),
        )
        .group_by(OrderStageEvent.order_id)
        .subquery()
    )
    joined = and_(shipped.c.order_id == Order.id, Order.stage == SHIPPED)
    total = db.session.execute(select(func.count()).select_from(shipped).join(Order, joined)).scalar_one()
    query = (
        select(Order, shipped.c.at)
        .join(shipped, joined)
        .options(joinedload(Order.customer), joinedload(Order.product))
        .order_by(shipped.c.at.desc(), Order.id)
        .limit(LIST_LIMIT)
    )
    items = [
        Item(
            order.number,
            f"{order.customer.name} · {order.product.model}",
            _shipped_note((today - clock.plant_date(at)).days),
        )
        for order, at in db.session.execute(query)
    ]
    return total, items


def _shipped_note(days_ago: int) -> str:
    if days_ago <= 0:
        return _("shipped today")
    return ngettext("shipped %(num)d day ago", "shipped %(num)d days ago", days_ago)


def _after_sales_card(role: str, summary: str, today: date) -> Card:
    total, items = _recently_shipped(today)
    return Card(
        role,
        summary,
        [Figure("shipped_recently", _("Shipped in the last 30 days"), total)],
        _("Recently shipped"),
        items,
        _("Nothing shipped in the last 30 days."),
        link=("/service/", _("Service tickets")),
    )


def cs_card(user: User, today: date) -> Card:
    return _after_sales_card(
        roles.CS, _("Ask the customers of recent deliveries how it went and record their ratings."), today
    )


def service_card(user: User, today: date) -> Card:
    return _after_sales_card(
        roles.SERVICE, _("Recent deliveries, for reference when a customer calls for a repair."), today
    )


def vp_card(user: User, today: date) -> Card:
    open_a = (Order.priority == "A", Order.stage.in_(OPEN_STAGES))
    late = func.coalesce(func.sum(case((Order.due_date < today, 1), else_=0)), 0)
    total, overdue = db.session.execute(select(func.count(Order.id), late).where(*open_a)).one()
    waiting = db.session.execute(
        select(func.count(RushRequest.id)).where(RushRequest.status == PENDING_VP)
    ).scalar_one()
    orders = _orders(*open_a, order_by=(Order.due_date,))
    return Card(
        roles.VP,
        _("Decide the rush requests waiting for you and keep the A-priority orders moving."),
        [
            Figure("rush_waiting", _("Rush requests to decide"), waiting, "warn" if waiting else ""),
            Figure("a_priority", _("A-priority open"), total),
            Figure("a_priority_late", _("Late"), int(overdue), "late" if overdue else ""),
        ],
        _("A-priority orders"),
        [_order_item(o, today, f"{o.customer.name} · {STAGE_LABELS[o.stage]}") for o in orders],
        _("No A-priority order is open."),
    )  # its link, to the rush requests to decide, is the web side's


def admin_card(user: User, today: date) -> Card:
    active = db.session.execute(select(func.count(User.id)).where(User.active.is_(True))).scalar_one()
    return Card(
        roles.ADMIN,
        _("Manage users, rules, warehouses and master data."),
        [Figure("active_users", _("Active users"), active)],
        link=("/admin/", _("Open administration")),
    )


BUILDERS: dict[str, Callable[[User, date], Card]] = {
    roles.SALES: sales_card,
    roles.PLANNER: planner_card,
    roles.WAREHOUSE: warehouse_card,
    roles.SUPERVISOR: supervisor_card,
    roles.LEADER: leader_card,
    roles.QC: qc_card,
    roles.SERVICE: service_card,
    roles.CS: cs_card,
    roles.VP: vp_card,
    roles.ADMIN: admin_card,  # last: a manager who also administers looks at the plant first
}


def cards_for(user: User, today: date) -> list[Card]:
    """One card per role the user holds, in a fixed order so the page never reshuffles."""
    return [build(user, today) for role, build in BUILDERS.items() if role in user.roles]
