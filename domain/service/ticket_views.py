"""Read side of service tickets: lists, the serial's repair history, and the full ticket view."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from domain import keyset
from domain.service import states
from domain.service.nearest import nearest_points
from domain.service.part_history import recommend_for, sku_names
from domain.service.tickets import ServicePartUse, ServiceTicket
from domain.service.warranty import warranty_status
from extensions import db

LIST_LIMIT = 100


@dataclass(frozen=True)
class TicketFilter:
    state: str | None = None  # a state, or "active" for open/assigned/on_site
    assigned_to_id: int | None = None
    q: str = ""  # number, serial or customer name fragment
    limit: int = 50


def _tickets(f: TicketFilter) -> Select:
    from domain.masterdata import Customer

    query = (
        select(ServiceTicket)
        .join(Customer, Customer.id == ServiceTicket.customer_id)
        .options(
            joinedload(ServiceTicket.customer),
            joinedload(ServiceTicket.product),
            joinedload(ServiceTicket.assigned_to),
        )
    )
    if f.state == "active":
        query = query.where(ServiceTicket.state.in_(states.ACTIVE))
    elif f.state:
        query = query.where(ServiceTicket.state == f.state)
    if f.assigned_to_id is not None:
        query = query.where(ServiceTicket.assigned_to_id == f.assigned_to_id)
    if f.q.strip():
        like = f"%{f.q.strip()}%"
        query = query.where(
            or_(ServiceTicket.number.ilike(like), ServiceTicket.serial.ilike(like), Customer.name.ilike(like))
        )
    return query


def list_tickets(f: TicketFilter) -> list[ServiceTicket]:
    """The newest tickets first, at most `f.limit` (the pages' lists)."""
    query = _tickets(f).order_by(ServiceTicket.id.desc()).limit(min(f.limit, LIST_LIMIT))
    return list(db.session.execute(query).scalars().unique())


def ticket_page(f: TicketFilter, cursor: str | None) -> keyset.Page:
    """The newest tickets first, a page at a time (the API)."""
    limit = min(f.limit, LIST_LIMIT)
    return keyset.by_id(
        _tickets(f), ServiceTicket.id, scope="service_tickets", limit=limit, cursor=cursor, newest_first=True
    )


def repair_history(serial: str, exclude_id: int | None = None) -> list[ServiceTicket]:
    """Every ticket for this serial, oldest first, with the parts used (two queries in all)."""
    query = (
        select(ServiceTicket)
        .where(ServiceTicket.serial == serial)
        .options(selectinload(ServiceTicket.parts).joinedload(ServicePartUse.sku))
        .order_by(ServiceTicket.created_at, ServiceTicket.id)
    )
    if exclude_id is not None:
        query = query.where(ServiceTicket.id != exclude_id)
    return list(db.session.execute(query).scalars())


def history_rows(tickets: list[ServiceTicket]) -> list[dict[str, Any]]:
    return [
        {
            "id": t.id,
            "number": t.number,
            "state": t.state,
            "created_at": t.created_at,
            "resolved_at": t.resolved_at,
            "fault_description": t.fault_description,
            "diagnosis": t.diagnosis,
            "parts": [{"sku": p.sku.code, "name": p.sku.name, "qty": p.qty} for p in t.parts],
            "rating": t.rating,
        }
        for t in tickets
    ]


def ticket_view(ticket: ServiceTicket, today: date, *, with_advice: bool = True) -> dict[str, Any]:
    """Everything the ticket page and the API show: facts, warranty, history, parts, advice."""
    warranty = warranty_status(ticket.ship_date, ticket.warranty_months, today)
    view: dict[str, Any] = {
        "ticket": ticket,
        "warranty": warranty,
        "history": history_rows(repair_history(ticket.serial, exclude_id=ticket.id)),
        "recommendations": [],
        "points": [],
        "names": {},
    }
    if with_advice:
        recommendations = recommend_for(ticket)
        codes = [r.sku for r in recommendations]
        customer = ticket.customer
        view["recommendations"] = recommendations
        view["points"] = nearest_points(customer.lat, customer.lon, codes)
        view["names"] = sku_names(codes + [p.sku.code for p in ticket.parts])
    return view
