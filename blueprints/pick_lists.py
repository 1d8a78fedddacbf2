"""The printable pick list (拣货单) of a sales order (DESIGN §6): what is still to ship, where it is, and
the order's QR label, which the scanner's Ship mode reads to set the order."""

from flask import Blueprint, render_template
from flask_login import current_user

from blueprints.access import roles_required
from domain import roles
from domain.orders import service as order_service
from domain.stock.pick_list import pick_list
from scanning.labels import WORK_ORDER, label_url, public_base
from scanning.qr import qr_svg

bp = Blueprint("pick_lists", __name__)
PICK_LIST_ROLES = (roles.WAREHOUSE, roles.SALES, roles.ADMIN)


@bp.get("/orders/<int:order_id>/pick-list")
@roles_required(*PICK_LIST_ROLES)
def show(order_id: int):
    order = order_service.get_order(order_id, current_user)  # a salesperson sees only their own
    payload = label_url(public_base(), WORK_ORDER, order.number)  # the label Ship mode accepts
    return render_template(
        "orders/pick_list.html", picks=pick_list(order), order=order, payload=payload, qr=qr_svg(payload)
    )
