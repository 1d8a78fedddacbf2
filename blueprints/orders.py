"""Order pages (DESIGN §3): the list, create and edit on a phone, submit for review, stage moves and the
detail with its full history."""

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.admin.refusals import show_on_form
from blueprints.api.orders import locale, send_drawing, upload_dir
from blueprints.order_forms import FIELD_LABELS, ActionForm, FilterForm, OrderForm, TransitionForm, plain
from domain import drawings, quantity_format, roles, stage_machine
from domain.errors import DomainError
from domain.masterdata import Customer, Product
from domain.orders import changes, rush_requests
from domain.orders import history as order_history
from domain.orders import listing as order_list
from domain.orders import service as order_service
from domain.orders import stops as order_stops
from domain.orders.service import DRAWING_ROLES, ORDER_ROLES, TRANSITION_ROLES
from domain.scheduling import replan
from extensions import db

bp = Blueprint("orders", __name__, url_prefix="/orders")

WRITERS = (roles.SALES, roles.ADMIN)
MOVERS = tuple(sorted(set().union(*TRANSITION_ROLES.values())))
PICK_LIMIT = 500  # customers and models offered for autocomplete on the phone


@bp.app_template_filter("plain_number")
def plain_number(value) -> str:
    """2000.000 → "2000", 3.6000 → "3.6": quantities and prices as a person writes them."""
    return "—" if value is None else f"{plain(Decimal(value)):f}"


@bp.app_template_filter("quantity")
def quantity(value, unit: str = "") -> str:
    """A quantity with its unit in the user's locale (domain/quantity_format.py): "1,183.676 千克"."""
    return quantity_format.quantity(value, unit)


@bp.app_context_processor
def _labels() -> dict:
    return {"stage_labels": stage_machine.STAGE_LABELS, "field_labels": FIELD_LABELS}


@bp.get("/")
@roles_required(*ORDER_ROLES)
def index():
    form = FilterForm(request.args)
    form.validate()
    filters = {k: v for k, v in form.filters().items() if k not in form.errors}
    try:
        page = order_list.list_orders(
            order_list.OrderFilter(**filters, cursor=request.args.get("cursor"), limit=30), current_user
        )
    except DomainError as error:  # a stale or hand-made page link: start again from the first page
        flash(error.message, "error")
        return redirect(url_for(".index", **{k: v for k, v in request.args.items() if k != "cursor"}))
    first_args = {k: v for k, v in request.args.items() if k != "cursor"}
    next_args = {**first_args, "cursor": page.next_cursor} if page.next_cursor else None
    first = not request.args.get("cursor")
    changed = changes.pending_order_ids(current_user.id, [o.id for o in page.orders])
    context = {"form": form, "page": page, "first_args": first_args, "next_args": next_args, "first": first}
    context["changed"] = changed
    return render_template("orders/list.html", **context)


def _pick_lists() -> dict:
    customers = db.session.execute(
        db.select(Customer.code, Customer.name)
        .where(Customer.active.is_(True))
        .order_by(Customer.code)
        .limit(PICK_LIMIT)
    ).all()
    products = db.session.execute(
        db.select(Product.model, Product.name)
        .where(Product.active.is_(True))
        .order_by(Product.model)
        .limit(PICK_LIMIT)
    ).all()
    return {"customers": customers, "products": products}


def _save(form: OrderForm, order_id: int | None):
    """Create or update, then store the drawing if one was chosen; returns the order or None when the
    form shows a refusal. Each step is its own transaction: what was saved stays saved."""
    today = order_service.plant_today()
    try:
        if order_id is None:
            order = order_service.create_order(form.order_data(False), current_user, today)
        else:
            current = order_service.get_order(order_id, current_user)
            data = form.order_data(confirmed=current.stage != stage_machine.QUOTE)
            order, _notice = order_service.update_order(
                order_id, data, current_user, today, locale(), form.note.data or ""
            )
        upload = form.drawing.data
        if upload is not None and getattr(upload, "filename", ""):
            order_service.upload_drawing(
                order.id, upload.stream, upload.filename, upload_dir(), current_user, form.note.data or ""
            )
    except DomainError as error:
        show_on_form(form, error, {"sample_drawing": "drawing", "customer": "customer_code"})
        return None
    return order


def _after_save(order):
    """ "Submit for review" was pressed: try it; the edit page then lists whatever is still missing."""
    if request.form.get("action") != "submit":
        flash(_("Order %(number)s saved.", number=order.number))
        return redirect(url_for(".detail", order_id=order.id))
    return _submit(order.id)


def _submit(order_id: int):
    try:
        order = order_service.submit_order(order_id, current_user, order_service.plant_today(), locale())
    except DomainError as error:
        flash(error.message, "error")
        target = ".edit" if error.code == "compliance_failed" else ".detail"
        return redirect(url_for(target, order_id=order_id, _anchor="rules" if target == ".edit" else None))
    flash(_("Order %(number)s is confirmed.", number=order.number))
    return redirect(url_for(".detail", order_id=order.id))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WRITERS)
def new():
    form = OrderForm()
    if form.validate_on_submit() and (order := _save(form, None)) is not None:
        return _after_save(order)
    status = 422 if form.errors else 200
    return render_template("orders/form.html", form=form, order=None, failures=[], **_pick_lists()), status


@bp.route("/<int:order_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit(order_id: int):
    order = order_service.get_order(order_id, current_user)
    if order.stage in stage_machine.FINAL_STAGES:
        flash(_("A shipped or cancelled order cannot change."), "error")
        return redirect(url_for(".detail", order_id=order.id))
    form = OrderForm()
    if order.stage != "quote":  # customer and model are fixed after confirmation: the page omits them
        form.customer_code.data, form.product_model.data = order.customer.code, order.product.model
    if request.method == "GET":
        form.fill_from(order)
    elif form.validate_on_submit() and (saved := _save(form, order.id)) is not None:
        return _after_save(saved)
    order = order_service.get_order(order_id, current_user)
    failures = (
        order_service.check_order(order, order_service.plant_today(), locale())
        if order.stage == "quote"
        else []
    )
    status = 422 if form.errors else 200
    has_drawing = drawings.latest_for(order.id) is not None
    context = {
        "form": form,
        "order": order,
        "failures": failures,
        "has_drawing": has_drawing,
        **_pick_lists(),
    }
    return render_template("orders/form.html", **context), status


@bp.post("/<int:order_id>/submit")
@roles_required(*WRITERS)
def submit(order_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    return _submit(order_id)


@bp.post("/<int:order_id>/transition")
@roles_required(*MOVERS)
def transition(order_id: int):
    form = TransitionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        order = order_service.transition(
            order_id, form.to.data, current_user, order_service.plant_today(), locale()
        )
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            _(
                "Order %(number)s: %(stage)s.",
                number=order.number,
                stage=stage_machine.STAGE_LABELS[order.stage],
            )
        )
    return redirect(url_for(".detail", order_id=order_id))


@bp.get("/<int:order_id>")
@roles_required(*ORDER_ROLES)
def detail(order_id: int):
    order = order_service.get_order(order_id, current_user)
    notices = changes.notices_for_order(order)
    may_see_drawing = order_service.may_see_drawing(current_user, order)
    moves = [
        s
        for s in sorted(stage_machine.allowed_next(order.stage), key=stage_machine.STAGES.index)
        if s != stage_machine.CONFIRMED and current_user.has_any_role(TRANSITION_ROLES[s])
    ]
    show_prices = roles.sees_prices(current_user)
    context = {
        "order": order,
        "show_prices": show_prices,
        "list_price": order_service.list_price(order.customer_id, order.product_id) if show_prices else None,
        "failures": order_service.check_order(order, order_service.plant_today(), locale())
        if order.stage == stage_machine.QUOTE
        else [],
        "drawings": order_history.drawings_of(order.id) if may_see_drawing else [],
        "may_see_drawing": may_see_drawing,
        "events": order_history.stage_events(order.id),
        "notices": notices,
        "highlight": changes.unacknowledged_fields(notices, current_user.id),
        "audit": order_history.audit_entries(order.id, with_prices=show_prices),
        "submissions": order_history.submissions_of(order.id),
        "rush_requests": rush_requests.list_requests(order_id=order.id),
        "planned": replan.planned_finish(order.id, order.due_date),
        "moves": moves,
        "may_edit": current_user.has_any_role(WRITERS) and order.stage not in stage_machine.FINAL_STAGES,
        "may_resume": order.stage == stage_machine.ON_HOLD
        and stage_machine.may_resume_to(order.held_from)
        and order_stops.may_hold(current_user.roles),
        "may_rush": current_user.has_any_role(WRITERS)
        and order.stage in rush_requests.RUSHABLE_STAGES
        and not order.is_rush,
        "action_form": ActionForm(),
        "transition_form": TransitionForm(),
    }
    return render_template("orders/detail.html", **context)


@bp.get("/<int:order_id>/drawings/<int:drawing_id>")
@roles_required(*DRAWING_ROLES)
def drawing_file(order_id: int, drawing_id: int):
    return send_drawing(order_service.drawing_for_download(order_id, drawing_id, current_user))
