"""The planning page (排产): the Gantt per workshop and machine (DESIGN §4). Data and moves go through
/api/v1/gantt; the page only sets the window and the workshop filter."""

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select

from blueprints.access import roles_required
from domain import roles
from domain.masterdata import Workshop
from domain.orders.models import Order
from domain.production.models import WorkOrder
from extensions import db

bp = Blueprint("planning", __name__, url_prefix="/planning")


@bp.get("/gantt")
@roles_required(roles.PLANNER, roles.ADMIN, roles.VP, roles.LEADER)
def gantt():
    workshops = db.session.scalars(
        select(Workshop).where(Workshop.active.is_(True)).order_by(Workshop.code)
    ).all()
    workshop = request.args.get("workshop", type=int)
    rush_work_orders = db.session.scalars(
        select(WorkOrder)
        .join(Order, WorkOrder.order_id == Order.id)
        .where(Order.is_rush.is_(True), WorkOrder.status != "finished")
        .order_by(WorkOrder.number)
    ).all()
    may_edit = current_user.has_any_role({roles.PLANNER, roles.ADMIN})
    return render_template(
        "planning/gantt.html",
        workshops=workshops,
        workshop=workshop,
        rush_work_orders=rush_work_orders,
        may_edit=may_edit,
    )
