"""/api/v1/orders: the order master (DESIGN §3): list, create, edit, submit, stages and the drawing."""

from pathlib import Path

from flask import current_app, send_file
from flask_babel import get_locale
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api import order_schemas as s
from domain import drawings, roles
from domain.orders import compliance_rules
from domain.orders import history as order_history
from domain.orders import listing as order_list
from domain.orders import service as order_service
from domain.orders import stops as order_stops
from domain.orders.service import DRAWING_ROLES, ORDER_ROLES, TRANSITION_ROLES

blp = Blueprint("api_orders", __name__, url_prefix="/orders", description="The order master (订单主表)")

WRITERS = (roles.SALES, roles.ADMIN)
MOVERS = tuple(sorted(set().union(*TRANSITION_ROLES.values())))
STOPPERS = tuple(sorted(order_stops.BEFORE_PRODUCTION | order_stops.HOLDERS))


def locale() -> str:
    current = get_locale()
    return "zh_CN" if current is None or current.language == "zh" else "en"


def upload_dir() -> Path:
    return (
        Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
        / "drawings"
    )


@blp.route("", methods=["GET"])
@blp.arguments(s.OrderQuery, location="query")
@blp.response(200, s.OrderPageOut)
@roles_required(*ORDER_ROLES)
def list_orders(query: dict):
    page = order_list.list_orders(order_list.OrderFilter(**query), current_user)
    return {"items": page.orders, "total": page.total, "next_cursor": page.next_cursor}


@blp.route("", methods=["POST"])
@blp.arguments(s.OrderCreateIn)
@blp.response(201, s.OrderOut)
@blp.alt_response(422, description="A field is not valid (unknown customer code, product model …)")
@roles_required(*WRITERS)
def create_order(data: dict):
    return order_service.create_order(data, current_user, order_service.plant_today())


@blp.route("/<int:order_id>", methods=["GET"])
@blp.response(200, s.OrderDetailOut)
@roles_required(*ORDER_ROLES)
def get_order(order_id: int):
    order = order_service.get_order(order_id, current_user)
    return order_detail(order)


def order_detail(order) -> s.Extended:
    failures = order_service.check_order(order, order_service.plant_today(), locale())
    drawing = drawings.latest_for(order.id) if order_service.may_see_drawing(current_user, order) else None
    return s.Extended(
        order,
        list_price=order_service.list_price(order.customer_id, order.product_id),
        drawing=drawing,
        failed_rules=[f.as_dict() for f in failures] if order.stage == "quote" else [],
        stage_events=order_history.stage_events(order.id),
    )


@blp.route("/<int:order_id>", methods=["PATCH"])
@blp.arguments(s.OrderPatchIn)
@blp.response(200, s.OrderSaved)
@blp.alt_response(409, description="The order is shipped or cancelled")
@blp.alt_response(422, description="A field is not valid, or a changed field breaks a compliance rule")
@roles_required(*WRITERS)
def update_order(data: dict, order_id: int):
    note = data.pop("note", "")
    order, notice = order_service.update_order(
        order_id, data, current_user, order_service.plant_today(), locale(), note
    )
    return s.Extended(order, change_id=notice.id if notice else None)


@blp.route("/<int:order_id>/submit", methods=["POST"])
@blp.response(200, s.OrderOut)
@blp.alt_response(
    422,
    description='Compliance failed: `error.code` is "compliance_failed" and `error.rules` lists every '
    "failed rule ({code, field, message}); `error.fields` maps each field to its message(s)",
)
@blp.alt_response(409, description="The order is not a quote")
@roles_required(*WRITERS)
def submit_order(order_id: int):
    return order_service.submit_order(order_id, current_user, order_service.plant_today(), locale())


@blp.route("/<int:order_id>/transition", methods=["POST"])
@blp.arguments(s.TransitionIn)
@blp.response(200, s.OrderOut)
@blp.alt_response(409, description='"illegal_transition": not an allowed edge of the stage machine')
@roles_required(*MOVERS)
def transition(data: dict, order_id: int):
    """One stage forward; `on_hold` and `cancelled` need a `reason` (as /hold and /cancel)."""
    today = order_service.plant_today()
    return order_service.transition(order_id, data["to"], current_user, today, locale(), data["reason"])


@blp.route("/<int:order_id>/stop-impact", methods=["GET"])
@blp.arguments(s.ImpactQuery, location="query")
@blp.response(200, s.ImpactOut)
@roles_required(*STOPPERS)
def stop_impact(query: dict, order_id: int):
    """What cancelling (or holding) the order will stop, to show before the user confirms."""
    order = order_service.get_order(order_id, current_user)
    cancelling = query["action"] == "cancel"
    found = order_stops.impact(order, cancelling)
    allowed = (
        order_stops.may_cancel(current_user.roles, order_stops.in_production(order))
        if cancelling
        else order_stops.may_hold(current_user.roles)
    )
    return {**found.as_dict(), "allowed": allowed}


@blp.route("/<int:order_id>/cancel", methods=["POST"])
@blp.arguments(s.StopIn)
@blp.response(200, s.OrderOut)
@roles_required(*STOPPERS)
def cancel(data: dict, order_id: int):
    """Cancel with a reason: its work orders stop (started ones go on hold, output kept), machine time
    and reserved material are released, its transfers stop; an order in production needs the planner
    or the VP."""
    return order_stops.cancel_order(order_id, data["reason"], current_user)


@blp.route("/<int:order_id>/hold", methods=["POST"])
@blp.arguments(s.StopIn)
@blp.response(200, s.OrderOut)
@roles_required(*STOPPERS)
def hold(data: dict, order_id: int):
    """Put on hold with a reason (a customer pause): everything the order started waits, reversibly."""
    return order_stops.hold_order(order_id, data["reason"], current_user)


@blp.route("/<int:order_id>/resume", methods=["POST"])
@blp.response(200, s.OrderOut)
@roles_required(*STOPPERS)
def resume(order_id: int):
    """Back to the stage it was held in; its work orders, cards, reservations and transfers resume."""
    return order_stops.resume_order(order_id, current_user)


@blp.route("/<int:order_id>/drawing", methods=["POST"])
@blp.arguments(s.DrawingUploadIn, location="files")
@blp.response(201, s.DrawingOut)
@blp.alt_response(413, description="Larger than 10 MB")
@blp.alt_response(415, description="Not a PDF, PNG or JPEG by content")
@roles_required(*WRITERS)
def upload_drawing(files: dict, order_id: int):
    upload = files["file"]
    drawing, notice = order_service.upload_drawing(
        order_id, upload.stream, upload.filename, upload_dir(), current_user
    )
    return s.Extended(drawing, change_id=notice.id if notice else None)


@blp.route("/<int:order_id>/drawing", methods=["GET"])
@roles_required(*DRAWING_ROLES)
def download_latest_drawing(order_id: int):
    return send_drawing(order_service.drawing_for_download(order_id, None, current_user))


@blp.route("/<int:order_id>/drawings/<int:drawing_id>", methods=["GET"])
@roles_required(*DRAWING_ROLES)
def download_drawing(order_id: int, drawing_id: int):
    return send_drawing(order_service.drawing_for_download(order_id, drawing_id, current_user))


def send_drawing(drawing: drawings.SampleDrawing):
    """Always a download, never rendered inline, never sniffed into something else, never cached."""
    response = send_file(
        drawings.file_path(drawing, upload_dir()),
        mimetype=drawing.content_type,
        as_attachment=True,
        download_name=drawing.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@blp.route("/missing-information-rate", methods=["GET"])
@blp.arguments(s.MonthsQuery, location="query")
@blp.response(200, s.MonthRateOut(many=True))
@roles_required(roles.ADMIN, roles.VP, roles.SALES)
def missing_information_rate(query: dict):
    """资料缺失率 per month, newest first: share of submissions with at least one failed rule."""
    return compliance_rules.missing_information_rate(query["months"])
