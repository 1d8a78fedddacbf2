"""Production pages (DESIGN §4): convert an order from its page (planners), work orders, and the
team leader's phone page where task cards arrive live."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField

from blueprints.access import roles_required
from blueprints.order_forms import FIELD_LABELS, ActionForm
from domain import clock, quantity_format, roles, stage_machine
from domain.errors import DomainError
from domain.production import conversion, task_cards, work_orders
from domain.production import models as m
from domain.production.card_payload import card_payload

bp = Blueprint("production", __name__)

PLANNERS = (roles.PLANNER, roles.ADMIN)
LEADERS = (roles.LEADER, roles.ADMIN)
VIEWERS = (roles.PLANNER, roles.LEADER, roles.ADMIN, roles.VP, roles.QC, roles.WAREHOUSE)


class ConvertForm(FlaskForm):
    team_id = SelectField(coerce=int)


def convert_form(order) -> ConvertForm | None:
    """The order page's 转生产 form, for planners on a confirmed order (or one moved to scheduling by
    hand without a work order); None otherwise."""
    if not current_user.has_any_role(PLANNERS):
        return None
    waiting = order.stage == stage_machine.SCHEDULING and not work_orders.work_orders_of(order.id)
    if order.stage != stage_machine.CONFIRMED and not waiting:
        return None
    form = ConvertForm()
    form.team_id.choices = [(0, _("Team of the first workshop"))] + [
        (t.id, f"{t.name} · {t.workshop.name}") for t in work_orders.active_teams()
    ]
    return form


@bp.app_context_processor
def _production_helpers() -> dict:
    return {
        "convert_form": convert_form,
        "work_orders_of": work_orders.work_orders_of,
        "work_order_labels": m.WORK_ORDER_STATUS_LABELS,
        # only roles that may open a work order page get links to it (no link that answers 403)
        "may_open_work_orders": bool(getattr(current_user, "is_authenticated", False))
        and current_user.has_any_role(VIEWERS),
    }


@bp.post("/orders/<int:order_id>/convert")
@roles_required(*PLANNERS)
def convert(order_id: int):
    form = ConvertForm()
    form.team_id.choices = [(0, "")] + [(t.id, "") for t in work_orders.active_teams()]
    if not form.validate_on_submit():
        abort(400)
    try:
        converted = conversion.convert_to_production(order_id, current_user, form.team_id.data or None)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("orders.detail", order_id=order_id))
    flash(_("Work order %(number)s created; the team's card is sent.", number=converted.work_order.number))
    return redirect(url_for(".work_order", work_order_id=converted.work_order.id))


@bp.get("/work-orders/")
@roles_required(*VIEWERS)
def work_order_list():
    status = request.args.get("status") if request.args.get("status") in m.WORK_ORDER_STATUSES else None
    rows = work_orders.list_work_orders(status)
    return render_template("production/list.html", work_orders=rows, status=status)


@bp.get("/work-orders/<int:work_order_id>")
@roles_required(*VIEWERS)
def work_order(work_order_id: int):
    row = work_orders.get_work_order(work_order_id)
    notices = work_orders.notices_for(row)
    mine = [
        n for n in notices for r in n.recipients if r.user_id == current_user.id and r.acknowledged_at is None
    ]
    return render_template(
        "production/work_order.html",
        wo=row,
        cards=work_orders.cards_of(row.id),
        notices=notices,
        mine=mine,
        action_form=ActionForm(),
        card_labels=m.CARD_STATUS_LABELS,
        operation_labels=m.OPERATION_STATUS_LABELS,
    )


@bp.get("/leader")
@roles_required(*LEADERS)
def leader():
    """The leader's phone: open cards now, new ones live (rendered by pwa/js/leader.js)."""
    teams = task_cards.led_team_ids(current_user)
    after = task_cards.last_seqs(teams)  # read first: a card committed meanwhile is in both, shown once
    cards = task_cards.open_cards(teams)
    notices = work_orders.pending_notices(
        current_user.id, [c.work_order.order_id for c in cards], [c.work_order.product_id for c in cards]
    )
    state = {
        "teams": teams,
        "after": after,
        "cards": [card_payload(c) for c in cards],
        "notices": notices,
        "labels": {k: str(v) for k, v in m.CARD_STATUS_LABELS.items()},
        "operation_labels": {k: str(v) for k, v in m.OPERATION_STATUS_LABELS.items()},
        "field_labels": {k: str(v) for k, v in FIELD_LABELS.items()},
        "user_id": current_user.id,
        "zone": clock.plant_zone().key,  # the card's times in plant time
        "texts": {
            "spec_change": _("Customer change"),
            "process_change": _("Process change"),
            "offline": _("No network: try again when the phone is online."),
            "pieces": quantity_format.unit_name("pcs"),
            "first_article": {
                "waiting": _(
                    "First article: up to {sample} good pieces before QC's first-article inspection "
                    "({left} left)."
                ),
                "blocked": _(
                    "Waiting for the first article: QC must pass the first-article inspection before "
                    "more good pieces are reported ({sample} made)."
                ),
                "failed": _(
                    "First article failed: QC must pass a new first-article inspection before more good "
                    "pieces are reported ({left} of {sample} left)."
                ),
                "passed": _("First article passed: mass production."),
            },
        },
    }
    return render_template("production/leader.html", state=state, teams=teams)
