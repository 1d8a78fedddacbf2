"""Rush-order pages (DESIGN §3.3): request a rush, see every dimension's score and why, the orders it
would delay, and the VP's approve/reject with a comment."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.access import roles_required
from blueprints.admin.refusals import show_on_form
from domain import roles
from domain.errors import DomainError
from domain.orders import rush_requests
from domain.orders import service as order_service
from domain.orders.rush_score import COMPLEXITY, CUSTOMER, MARGIN, MATERIAL, URGENCY

bp = Blueprint("rush", __name__, url_prefix="/rush")

READERS = (roles.SALES, roles.VP, roles.PLANNER, roles.ADMIN)
DIMENSION_LABELS = {
    CUSTOMER: _l("Customer contribution"),
    MARGIN: _l("Margin"),
    COMPLEXITY: _l("Complexity"),
    URGENCY: _l("Urgency"),
    MATERIAL: _l("Material availability"),
}
STATUS_LABELS = {
    rush_requests.OPEN: _l("Opened at once"),
    rush_requests.PENDING_VP: _l("Waiting for the VP"),
    rush_requests.APPROVED: _l("Approved by the VP"),
    rush_requests.REJECTED: _l("Rejected by the VP"),
}


class RushForm(FlaskForm):
    requested_due_date = DateField(_l("Needed by"), validators=[DataRequired()])
    reason = TextAreaField(_l("Why is it urgent?"), validators=[Length(max=500)])


class DecisionForm(FlaskForm):
    comment = TextAreaField(_l("Comment for the sales team"), validators=[DataRequired(), Length(max=1000)])


@bp.app_context_processor
def _labels() -> dict:
    return {"rush_status_labels": STATUS_LABELS, "dimension_labels": DIMENSION_LABELS}


@bp.get("/")
@roles_required(*READERS)
def index():
    status = request.args.get("status") or None
    if status not in (None, *rush_requests.STATUSES):
        status = None
    requests = [
        r for r in rush_requests.list_requests(status) if order_service.may_view(current_user, r.order)
    ]
    return render_template("orders/rush_list.html", requests=requests, status=status)


@bp.route("/new/<int:order_id>", methods=["GET", "POST"])
@roles_required(roles.SALES, roles.ADMIN)
def new(order_id: int):
    order = order_service.get_order(order_id, current_user)
    form = RushForm(data={"requested_due_date": order.due_date} if request.method == "GET" else None)
    if form.validate_on_submit():
        ask = rush_requests.RushAsk(order.id, form.requested_due_date.data, form.reason.data or "")
        try:
            rush = rush_requests.request_rush(ask, current_user, order_service.plant_today())
        except DomainError as error:
            show_on_form(form, error)
        else:
            return redirect(url_for(".detail", request_id=rush.id))
    return render_template("orders/rush_new.html", form=form, order=order), 422 if form.errors else 200


@bp.get("/<int:request_id>")
@roles_required(*READERS)
def detail(request_id: int):
    rush = _visible(request_id)
    pending = rush.status == rush_requests.PENDING_VP
    delayed = [d.as_dict() for d in rush_requests.current_delays(rush)] if pending else (rush.delayed or [])
    context = {
        "rush": rush,
        "score": rush.explained_for(current_user),
        "delayed": delayed,
        "form": DecisionForm() if pending and roles.VP in current_user.roles else None,
    }
    return render_template("orders/rush_detail.html", **context)


@bp.post("/<int:request_id>/decision")
@roles_required(roles.VP)
def decide(request_id: int):
    rush = _visible(request_id)
    form = DecisionForm()
    approve = request.form.get("decision") == "approve"
    if request.form.get("decision") not in ("approve", "reject"):
        abort(400)
    if form.validate_on_submit():
        try:
            rush_requests.decide(rush.id, approve, form.comment.data, current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Rush request approved.") if approve else _("Rush request rejected."))
            return redirect(url_for(".detail", request_id=rush.id))
    rush = _visible(request_id)
    context = {
        "rush": rush,
        "score": rush.explained_for(current_user),
        "delayed": rush_requests.current_delays(rush),
        "form": form,
    }
    context["delayed"] = [d.as_dict() for d in context["delayed"]]
    return render_template("orders/rush_detail.html", **context), 422


def _visible(request_id: int) -> rush_requests.RushRequest:
    rush = rush_requests.get_request(request_id)
    if not order_service.may_view(current_user, rush.order):
        raise DomainError("forbidden", _("This order belongs to another salesperson."), status=403)
    return rush
