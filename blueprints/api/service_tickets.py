"""/api/v1/service: service tickets (服务工单), serial look-up, part advice and repair analytics.

Customer service opens, assigns and closes tickets; the assigned technician works them from the phone.
Every state-changing call takes an Idempotency-Key (the phone's outbox replays them after being
offline); a replay answers the first response."""

import base64
import binascii
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api import service_schemas as s
from blueprints.api.idempotent import idempotent
from blueprints.api.paging import cursor_body, cursor_page_of
from domain import clock
from domain.errors import DomainError
from domain.roles import ADMIN, CS, QC, SERVICE, VP
from domain.service import analytics, ticket_service, ticket_views, ticket_work
from domain.service.nearest import nearest_points
from domain.service.part_history import recommender, sku_names
from domain.service.serials import find_serial, serial_from_scan
from domain.service.warranty import warranty_status

blp = Blueprint("api_service", __name__, url_prefix="/service", description="After-sales service tickets")

DESK = (CS, ADMIN)
READERS = (CS, SERVICE, ADMIN)
ANALYSTS = (CS, SERVICE, QC, VP, ADMIN)
DEFAULT_WARRANTY_MONTHS = 12


# ---- settings the domain needs, read in one place ----


def zone() -> ZoneInfo:
    return clock.plant_zone()


def plant_today():
    return clock.plant_today()


def default_months() -> int:
    return int(current_app.config.get("SERVICE_WARRANTY_MONTHS", DEFAULT_WARRANTY_MONTHS))


def photo_dir() -> Path:
    root = current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    return Path(root) / "service_photos"


def gps_context(gps) -> dict | None:
    return {"lat": gps.lat, "lon": gps.lon} if gps is not None else None


# ---- views as the schemas read them ----


class Detail:
    """The ticket's own fields plus warranty, history and advice, for TicketDetailOut."""

    def __init__(self, view: dict):
        self._ticket = view["ticket"]
        self.warranty = view["warranty"]
        self.history = view["history"]
        self.recommendations = advice_rows(view["recommendations"], view["names"])
        self.service_points = view["points"]

    def __getattr__(self, name: str):
        return getattr(self._ticket, name)


def advice_rows(recommendations, names: dict[str, str]) -> list[dict]:
    return [
        {
            "sku": r.sku,
            "name": names.get(r.sku, r.sku),
            "score": r.score,
            "basis": r.basis,
            "uses": r.uses,
            "evidence": r.evidence,
        }
        for r in recommendations
    ]


def detail(ticket) -> Detail:
    return Detail(ticket_views.ticket_view(ticket, plant_today()))


# ---- tickets ----


@blp.route("/tickets", methods=["GET"])
@blp.arguments(s.TicketQuery, location="query")
@blp.response(200, cursor_page_of(s.TicketListOut))
@roles_required(*READERS)
def list_tickets(query: dict):
    """The newest tickets first; a technician sees the tickets assigned to them."""
    mine = query.pop("mine") or not current_user.has_any_role(set(DESK))
    assignee = current_user.id if mine else None
    cursor = query.pop("cursor")
    filters = ticket_views.TicketFilter(**query, assigned_to_id=assignee)
    return cursor_body(ticket_views.ticket_page(filters, cursor))


@blp.route("/tickets", methods=["POST"])
@blp.arguments(s.TicketIn)
@idempotent()
@blp.response(201, s.TicketDetailOut)
@blp.alt_response(422, description="serial_required, fault_required, customer_required, unknown_order ...")
@roles_required(*DESK)
def create_ticket(body: dict):
    request = ticket_service.TicketRequest(**body)
    ticket = ticket_service.create_ticket(request, current_user, plant_today(), default_months(), zone())
    return detail(ticket)


@blp.route("/tickets/<int:ticket_id>", methods=["GET"])
@blp.response(200, s.TicketDetailOut)
@roles_required(*READERS)
def get_ticket(ticket_id: int):
    return detail(ticket_service.get_ticket(ticket_id))


@blp.route("/tickets/<int:ticket_id>/assign", methods=["POST"])
@blp.arguments(s.AssignIn)
@idempotent()
@blp.response(200, s.TicketOut)
@blp.alt_response(409, description="illegal_transition, ticket_changed")
@roles_required(*DESK)
def assign(body: dict, ticket_id: int):
    return ticket_service.assign(ticket_id, body["technician"], current_user, body["note"])


@blp.route("/tickets/<int:ticket_id>/arrive", methods=["POST"])
@blp.arguments(s.ArriveIn)
@idempotent()
@blp.response(200, s.TicketOut)
@blp.alt_response(403, description="not_your_ticket")
@blp.alt_response(409, description="illegal_transition")
@roles_required(SERVICE)
def arrive(body: dict, ticket_id: int):
    return ticket_work.arrive(ticket_id, current_user, gps_context(body["gps"]))


def _work_args(body: dict, ticket_id: int) -> tuple:
    if body.get("serial"):
        ticket_work.confirm_serial(ticket_id, body["serial"], current_user)
    parts = [ticket_work.PartLine(p["sku"], p["qty"]) for p in body["parts"]]
    return ticket_id, body["diagnosis"], parts, body["service_point"], current_user, gps_context(body["gps"])


@blp.route("/tickets/<int:ticket_id>/work", methods=["POST"])
@blp.arguments(s.WorkIn)
@idempotent()
@blp.response(200, s.TicketOut)
@blp.alt_response(409, description="ticket_not_in_work, serial_mismatch")
@blp.alt_response(422, description="insufficient_stock, unknown_sku, service_point_required")
@roles_required(SERVICE)
def record_work(body: dict, ticket_id: int):
    """Diagnosis and parts used; the parts are issued from the service point's stock (ledger)."""
    return ticket_work.record_work(*_work_args(body, ticket_id))


@blp.route("/tickets/<int:ticket_id>/resolve", methods=["POST"])
@blp.arguments(s.WorkIn)
@idempotent()
@blp.response(200, s.TicketOut)
@blp.alt_response(409, description="illegal_transition, ticket_not_in_work, serial_mismatch")
@blp.alt_response(422, description="diagnosis_required, insufficient_stock, unknown_sku")
@roles_required(SERVICE)
def resolve(body: dict, ticket_id: int):
    """on_site → resolved, with the last diagnosis and parts in the same transaction."""
    return ticket_work.resolve(*_work_args(body, ticket_id))


@blp.route("/tickets/<int:ticket_id>/photos", methods=["POST"])
@blp.arguments(s.PhotoIn)
@idempotent()
@blp.response(201, s.TicketOut)
@blp.alt_response(413, description="photo_too_large")
@blp.alt_response(415, description="photo_type")
@roles_required(SERVICE)
def add_photo(body: dict, ticket_id: int):
    try:
        data = base64.b64decode(body["data"].split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError) as error:
        message = _("The photo could not be read.")
        raise DomainError("photo_unreadable", message, {"data": message}) from error
    photo = ticket_work.add_photo(ticket_id, data, body["caption"], photo_dir(), current_user)
    return photo.ticket


@blp.route("/tickets/<int:ticket_id>/close", methods=["POST"])
@blp.arguments(s.CloseIn)
@idempotent()
@blp.response(200, s.TicketOut)
@blp.alt_response(409, description="illegal_transition")
@roles_required(*DESK)
def close(body: dict, ticket_id: int):
    """resolved → closed with the customer's rating (1–5, feeds OHDI)."""
    return ticket_service.close(ticket_id, body["rating"], body["comment"], current_user)


# ---- look-ups ----


@blp.route("/serials/<path:serial>", methods=["GET"])
@blp.response(200, s.SerialOut)
@roles_required(*READERS)
def serial(serial: str):
    """A typed serial or a scanned label: its order, customer, ship date, warranty and repairs."""
    from domain.masterdata import Customer, Product
    from domain.orders.models import Order
    from extensions import db

    number = serial_from_scan(serial)
    facts = find_serial(number)
    product = db.session.get(Product, facts.product_id) if facts and facts.product_id else None
    customer = db.session.get(Customer, facts.customer_id) if facts and facts.customer_id else None
    order = db.session.get(Order, facts.order_id) if facts and facts.order_id else None
    months = ticket_service.warranty_months_for(product, default_months())
    ship_date = facts.ship_date if facts else None
    return {
        "serial": number,
        "known": facts is not None,
        "shipped": bool(facts and facts.shipped),
        "customer": customer.code if customer else None,
        "customer_name": customer.name if customer else None,
        "product": product.model if product else None,
        "order": order.number if order else None,
        "ship_date": ship_date,
        "warranty": warranty_status(ship_date, months, plant_today()),
        "history": ticket_views.history_rows(ticket_views.repair_history(number)),
    }


@blp.route("/advice", methods=["GET"])
@blp.arguments(s.AdviceQuery, location="query")
@blp.response(200, s.AdviceOut)
@roles_required(*READERS)
def advice(query: dict):
    """Parts for a fault description (before a ticket exists), and the service points holding them."""
    from domain.masterdata import Customer
    from extensions import db

    found = recommender().recommend(query["description"], query["product"])
    codes = [r.sku for r in found]
    customer = (
        db.session.execute(db.select(Customer).where(Customer.code == query["customer"])).scalar_one_or_none()
        if query["customer"]
        else None
    )
    lat, lon = (customer.lat, customer.lon) if customer else (None, None)
    return {
        "recommendations": advice_rows(found, sku_names(codes)),
        "service_points": nearest_points(lat, lon, codes),
    }


@blp.route("/analytics", methods=["GET"])
@blp.arguments(s.AnalyticsQuery, location="query")
@blp.response(200, s.AnalyticsOut)
@roles_required(*ANALYSTS)
def repair_analytics(query: dict):
    return analytics.repairs_by_model(query["since"])
