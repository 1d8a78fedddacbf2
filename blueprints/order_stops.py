"""Cancel, hold and resume an order from its page (DESIGN §3, §3.0): the page says what the stop will
reach, asks for the reason and a confirmation; domain/orders/stops.py does it in one transaction."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.access import roles_required
from blueprints.admin.refusals import show_on_form
from blueprints.order_forms import ActionForm
from domain import stage_machine
from domain.errors import DomainError
from domain.orders import service as order_service
from domain.orders import stops as order_stops

bp = Blueprint("order_stops", __name__, url_prefix="/orders")

STOPPERS = tuple(sorted(order_stops.BEFORE_PRODUCTION | order_stops.HOLDERS))
ACTIONS = {"cancel": stage_machine.CANCELLED, "hold": stage_machine.ON_HOLD}


class StopForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (shown on the order, the task cards and the transfers)"),
        validators=[DataRequired(), Length(max=order_stops.REASON_MAX)],
    )


@bp.route("/<int:order_id>/<any(cancel, hold):action>", methods=["GET", "POST"])
@roles_required(*STOPPERS)
def stop(order_id: int, action: str):
    order = order_service.get_order(order_id, current_user)
    cancelling = action == "cancel"
    form = StopForm()
    if form.validate_on_submit():
        do = order_stops.cancel_order if cancelling else order_stops.hold_order
        try:
            do(order_id, form.reason.data, current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            label = stage_machine.STAGE_LABELS[ACTIONS[action]]
            flash(_("Order %(number)s: %(stage)s.", number=order.number, stage=label))
            return redirect(url_for("orders.detail", order_id=order_id))
    context = {
        "order": order,
        "action": action,
        "form": form,
        "impact": order_stops.impact(order, cancelling),
        "allowed": order_stops.may_cancel(current_user.roles, order_stops.in_production(order))
        if cancelling
        else order_stops.may_hold(current_user.roles),
    }
    return render_template("orders/stop.html", **context), 422 if form.errors else 200


@bp.post("/<int:order_id>/resume")
@roles_required(*STOPPERS)
def resume(order_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        order = order_stops.resume_order(order_id, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            _(
                "Order %(number)s resumed: %(stage)s.",
                number=order.number,
                stage=stage_machine.STAGE_LABELS[order.stage],
            )
        )
    return redirect(url_for("orders.detail", order_id=order_id))
