"""Service ticket actions by customer service: open a ticket for a serial, assign it, close it with
the customer's rating. Each is one write transaction, audited; a state move is a conditional update,
so two clicks at once cannot both move the same ticket."""

import secrets
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from domain import audit
from domain.clock import plant_date
from domain.errors import Conflict, DomainError, NotFound
from domain.masterdata import Customer, Product, ServicePoint
from domain.orders.models import Order, OrderStageEvent
from domain.roles import SERVICE
from domain.service import states
from domain.service.serials import find_serial, serial_from_scan
from domain.service.tickets import ProductWarranty, ServiceTicket, ServiceTicketEvent
from domain.transactions import write_transaction
from domain.users import User
from extensions import db
from geofence.metric import distance_m

MAX_DESCRIPTION = 2000


@dataclass(frozen=True)
class TicketRequest:
    serial: str  # typed, or the scanned label's text
    fault_description: str
    customer: str | None = None  # customer code; default: the serial's customer
    product: str | None = None  # product model, when the serial is not known to the plant
    order: str | None = None  # original sales order number, likewise
    ship_date: date | None = None
    service_point: str | None = None  # default: the nearest to the customer


def create_ticket(
    request: TicketRequest, actor: Any, today: date, default_months: int, zone: tzinfo = UTC
) -> ServiceTicket:
    serial = serial_from_scan(request.serial)
    description = (request.fault_description or "").strip()
    if not serial:
        raise _field("serial_required", "serial", _("Scan or type the serial number."))
    if not description:
        raise _field("fault_required", "fault_description", _("Describe the fault as the customer told it."))
    with write_transaction():
        known = find_serial(serial)
        order = (
            _order(request.order)
            if request.order
            else (db.session.get(Order, known.order_id) if known and known.order_id else None)
        )
        product = (
            _product(request.product)
            if request.product
            else (
                db.session.get(Product, known.product_id)
                if known and known.product_id
                else order.product
                if order
                else None
            )
        )
        customer = (
            _customer(request.customer)
            if request.customer
            else (
                db.session.get(Customer, known.customer_id)
                if known and known.customer_id
                else order.customer
                if order
                else None
            )
        )
        if customer is None:
            raise _field("customer_required", "customer", _("This serial is not known: choose the customer."))
        ship_date = (
            request.ship_date
            or (known.ship_date if known else None)
            or (_shipped_on(order, zone) if order else None)
        )
        ticket = ServiceTicket(
            number="ST-NEW-" + secrets.token_hex(8),
            customer=customer,
            serial=serial,
            product=product,
            order=order,
            ship_date=ship_date,
            warranty_months=warranty_months_for(product, default_months),
            fault_description=description[:MAX_DESCRIPTION],
            service_point=_point(request.service_point) if request.service_point else nearest_point(customer),
            created_by_id=actor.id,
        )
        ticket.events.append(ServiceTicketEvent(from_state=None, to_state=states.OPEN, user_id=actor.id))
        db.session.add(ticket)
        db.session.flush()
        ticket.number = f"ST-{today:%Y%m%d}-{ticket.id:05d}"  # the id makes it unique without a counter
        audit.record("create", "service_ticket", ticket.id, _facts(ticket), actor=actor)
    return ticket


def assign(ticket_id: int, technician: str, actor: Any, note: str = "") -> ServiceTicket:
    """open → assigned, or hand an assigned ticket to another technician (no state change)."""
    with write_transaction():
        ticket = get_ticket(ticket_id)
        tech = db.session.execute(select(User).where(User.username == technician)).scalar_one_or_none()
        if tech is None or not tech.active or not tech.has_any_role({SERVICE}):
            raise _field("not_a_technician", "technician", _("Choose an active service technician."))
        if ticket.state == states.ASSIGNED:
            before = ticket.assigned_to_id
            ticket.assigned_to_id = tech.id
            ticket.events.append(
                ServiceTicketEvent(
                    from_state=ticket.state,
                    to_state=ticket.state,
                    note=note or f"→ {tech.username}",
                    user_id=actor.id,
                )
            )
            audit.record(
                "reassign", "service_ticket", ticket.id, {"assigned_to_id": [before, tech.id]}, actor=actor
            )
            return ticket
        move(ticket, states.ASSIGNED, actor, note or f"→ {tech.username}")
        ticket.assigned_to_id = tech.id
    return ticket


def close(ticket_id: int, rating: int | None, comment: str, actor: Any) -> ServiceTicket:
    """resolved → closed with the customer's rating 1–5 (the rating term of OHDI, DESIGN §9)."""
    with write_transaction():
        ticket = get_ticket(ticket_id)
        states.check_rating(rating)
        move(ticket, states.CLOSED, actor, comment)
        ticket.rating, ticket.rating_comment = rating, (comment or "").strip()[:500]
        ticket.closed_at = ticket.events[-1].at
        audit.record("rate", "service_ticket", ticket.id, {"rating": [None, rating]}, actor=actor)
    return ticket


def move(ticket: ServiceTicket, target: str, actor: Any, note: str = "", context: dict | None = None) -> None:
    """Check the edge, then move with `UPDATE ... WHERE state = <what we read>`; 0 rows means somebody
    else moved it first: 409, and the caller's transaction is rolled back."""
    current = ticket.state
    states.check_transition(current, target)
    moved = db.session.execute(
        update(ServiceTicket)
        .where(ServiceTicket.id == ticket.id, ServiceTicket.state == current)
        .values(state=target)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise Conflict("ticket_changed", _("Someone else changed this ticket just now; reload it."), {})
    db.session.refresh(ticket, ["state", "updated_at"])
    event = ServiceTicketEvent(from_state=current, to_state=target, note=(note or "")[:500], user_id=actor.id)
    ticket.events.append(event)
    db.session.flush()
    audit.record(
        "transition", "service_ticket", ticket.id, {"state": [current, target]}, actor=actor, context=context
    )


def get_ticket(ticket_id: int) -> ServiceTicket:
    ticket = db.session.get(ServiceTicket, ticket_id)
    if ticket is None:
        raise NotFound(_("Service ticket"), ticket_id)
    return ticket


def nearest_point(customer: Customer) -> ServicePoint | None:
    points = db.session.execute(select(ServicePoint).where(ServicePoint.active.is_(True))).scalars().all()
    if not points or customer.lat is None or customer.lon is None:
        return None
    return min(points, key=lambda p: distance_m(p.lon, p.lat, customer.lon, customer.lat))


def warranty_months_for(product: Product | None, default: int) -> int:
    if product is None:
        return default
    months = db.session.execute(
        select(ProductWarranty.months).where(ProductWarranty.product_id == product.id)
    ).scalar_one_or_none()
    return default if months is None else months


def _shipped_on(order: Order, zone: tzinfo) -> date | None:
    """The plant-calendar day the order moved to shipped."""
    at = db.session.execute(
        select(OrderStageEvent.at).where(
            OrderStageEvent.order_id == order.id, OrderStageEvent.to_stage == "shipped"
        )
    ).scalar()
    return plant_date(at, zone) if at else None


def _order(number: str) -> Order:
    order = db.session.execute(select(Order).where(Order.number == number.strip())).scalar_one_or_none()
    if order is None:
        raise _field("unknown_order", "order", _("There is no order %(number)s.", number=number))
    return order


def _product(model: str) -> Product:
    product = db.session.execute(select(Product).where(Product.model == model.strip())).scalar_one_or_none()
    if product is None:
        raise _field("unknown_product", "product", _("There is no product model %(model)s.", model=model))
    return product


def _customer(code: str) -> Customer:
    customer = db.session.execute(select(Customer).where(Customer.code == code.strip())).scalar_one_or_none()
    if customer is None:
        raise _field("unknown_customer", "customer", _("There is no customer %(code)s.", code=code))
    return customer


def _point(code: str) -> ServicePoint:
    point = db.session.execute(
        select(ServicePoint).where(ServicePoint.code == code.strip())
    ).scalar_one_or_none()
    if point is None or not point.active:
        raise _field(
            "unknown_service_point", "service_point", _("There is no service point %(code)s.", code=code)
        )
    return point


def _facts(ticket: ServiceTicket) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "serial": ticket.serial,
        "customer": ticket.customer.code,
        "product": ticket.product.model if ticket.product else None,
        "order": ticket.order.number if ticket.order else None,
        "ship_date": ticket.ship_date.isoformat() if ticket.ship_date else None,
        "fault_description": ticket.fault_description,
    }


def _field(code: str, field: str, message: str) -> DomainError:
    return DomainError(code, message, {field: message})
