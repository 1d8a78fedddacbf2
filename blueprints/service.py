"""Service ticket pages (DESIGN §8): the desk's list, a new ticket from a serial, the ticket page (with
the technician's phone view when it is theirs), the repair analytics, and on-site photos."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from blueprints.access import roles_required
from blueprints.api.service_tickets import (
    ANALYSTS,
    DESK,
    READERS,
    default_months,
    photo_dir,
    plant_today,
    zone,
)
from domain import roles
from domain.errors import DomainError
from domain.masterdata import Customer, ServicePoint
from domain.service import analytics, states, ticket_service, ticket_views
from domain.service.photos import photo_path
from domain.service.serials import find_serial, serial_from_scan
from domain.service.tickets import ServicePhoto
from domain.service.warranty import warranty_status
from domain.users import User
from extensions import db

bp = Blueprint("service", __name__, url_prefix="/service")

PHOTO_VIEWERS = (roles.CS, roles.SERVICE, roles.QC, roles.ADMIN)
FORM_FIELDS = ("serial", "fault_description", "customer", "product", "order", "ship_date", "service_point")


@bp.app_context_processor
def _labels() -> dict:
    return {"ticket_state_labels": states.STATE_LABELS}


@bp.get("/")
@roles_required(*READERS)
def index():
    desk = current_user.has_any_role(set(DESK))
    state = request.args.get("state", "active")
    if state not in (*states.STATES, "active", ""):
        state = "active"
    query = ticket_views.TicketFilter(
        state=state or None,
        assigned_to_id=None if desk else current_user.id,
        q=request.args.get("q", "")[:64],
    )
    tickets = ticket_views.list_tickets(query)
    return render_template("service/list.html", tickets=tickets, desk=desk, state=state, q=query.q)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*DESK)
def new():
    values = {name: request.form.get(name, request.args.get(name, "")).strip() for name in FORM_FIELDS}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            ticket = ticket_service.create_ticket(
                _request(values), current_user, plant_today(), default_months(), zone()
            )
        except DomainError as error:
            flash(error.message, "error")
            errors = error.fields
        else:
            flash(_("Ticket %(number)s opened.", number=ticket.number), "success")
            return redirect(url_for(".detail", ticket_id=ticket.id))
    return render_template("service/new.html", values=values, errors=errors, **_pick_lists())


def _request(values: dict) -> ticket_service.TicketRequest:
    from datetime import date

    try:
        shipped = date.fromisoformat(values["ship_date"]) if values["ship_date"] else None
    except ValueError as error:
        message = _("Enter the ship date as YYYY-MM-DD.")
        raise DomainError("invalid_date", message, {"ship_date": message}) from error
    return ticket_service.TicketRequest(
        serial=values["serial"],
        fault_description=values["fault_description"],
        customer=values["customer"] or None,
        product=values["product"] or None,
        order=values["order"] or None,
        ship_date=shipped,
        service_point=values["service_point"] or None,
    )


def _pick_lists() -> dict:
    customers = db.session.execute(
        select(Customer.code, Customer.name)
        .where(Customer.active.is_(True))
        .order_by(Customer.code)
        .limit(500)
    ).all()
    points = db.session.execute(
        select(ServicePoint.code, ServicePoint.name)
        .where(ServicePoint.active.is_(True))
        .order_by(ServicePoint.code)
    ).all()
    return {"customers": customers, "points": points}


@bp.get("/<int:ticket_id>")
@roles_required(*READERS)
def detail(ticket_id: int):
    ticket = _ticket_or_404(ticket_id)
    view = ticket_views.ticket_view(ticket, plant_today())
    mine = ticket.assigned_to_id == current_user.id and current_user.has_any_role({roles.SERVICE})
    technicians = []
    if current_user.has_any_role(set(DESK)):
        technicians = [
            u
            for u in db.session.execute(select(User).where(User.active.is_(True))).scalars()
            if u.has_any_role({roles.SERVICE})
        ]
    return render_template(
        "service/detail.html",
        view=view,
        ticket=ticket,
        mine=mine,
        technicians=technicians,
        desk=current_user.has_any_role(set(DESK)),
    )


@bp.post("/<int:ticket_id>/assign")
@roles_required(*DESK)
def assign(ticket_id: int):
    try:
        ticket_service.assign(
            ticket_id, request.form.get("technician", ""), current_user, request.form.get("note", "")[:500]
        )
        flash(_("Ticket assigned."), "success")
    except DomainError as error:
        flash(error.message, "error")
    return redirect(url_for(".detail", ticket_id=ticket_id))


@bp.post("/<int:ticket_id>/close")
@roles_required(*DESK)
def close(ticket_id: int):
    rating = request.form.get("rating", "")
    try:
        ticket_service.close(
            ticket_id,
            int(rating) if rating.isdigit() else None,
            request.form.get("comment", "")[:500],
            current_user,
        )
        flash(_("Ticket closed with the customer's rating."), "success")
    except DomainError as error:
        flash(error.message, "error")
    return redirect(url_for(".detail", ticket_id=ticket_id))


@bp.get("/serial/<path:serial>")
@roles_required(*READERS)
def serial_page(serial: str):
    """What a serial label opens: the unit's order, ship date, warranty and every repair. A technician
    with an open ticket for it goes straight to that ticket."""
    number = serial_from_scan(serial)
    tickets = ticket_views.repair_history(number)
    for ticket in tickets:
        if ticket.assigned_to_id == current_user.id and ticket.state in states.ACTIVE:
            return redirect(url_for(".detail", ticket_id=ticket.id))
    facts = find_serial(number)
    shown = _serial_facts(facts)
    months = ticket_service.warranty_months_for(shown["product"], default_months())
    warranty = warranty_status(facts.ship_date if facts else None, months, plant_today())
    desk = current_user.has_any_role(set(DESK))
    return render_template(
        "service/serial.html",
        serial=number,
        facts=facts,
        shown=shown,
        warranty=warranty,
        tickets=tickets,
        desk=desk,
    )


def _serial_facts(facts) -> dict:
    from domain.masterdata import Product
    from domain.orders.models import Order

    def get(model, ident):
        return db.session.get(model, ident) if ident else None

    return {
        "customer": get(Customer, facts.customer_id) if facts else None,
        "product": get(Product, facts.product_id) if facts else None,
        "order": get(Order, facts.order_id) if facts else None,
    }


@roles_required(*READERS)
def serial_label(serial: str):
    return redirect(url_for("service.serial_page", serial=serial))


@bp.record_once
def _serial_labels(state) -> None:
    """A serial label holds <base>/s/sn/<serial> (scanning/labels.py): a phone camera or the in-app
    scanner opening it lands on the serial's page."""
    state.app.add_url_rule("/s/sn/<path:serial>", "service_serial_label", serial_label)


@bp.get("/analytics")
@roles_required(*ANALYSTS)
def analytics_page():
    table = analytics.repairs_by_model()
    return render_template("service/analytics.html", table=table)


@bp.get("/photos/<int:photo_id>")
@roles_required(*PHOTO_VIEWERS)
def photo(photo_id: int):
    """Served with its sniffed type, never as HTML, never cached by shared caches."""
    found = db.session.get(ServicePhoto, photo_id) or abort(404)
    response = send_file(photo_path(found, photo_dir()), mimetype=found.content_type, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _ticket_or_404(ticket_id: int):
    try:
        return ticket_service.get_ticket(ticket_id)
    except DomainError:
        abort(404)
