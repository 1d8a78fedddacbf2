"""A customer spec change reaches every live copy of the spec (DESIGN §3.0), in the change's
transaction: the open work orders' quantity, their task cards' text (quantity, due date, colour
notes), and, for a colour change, their material lists (domain/kitting/colour_swap.py); a line whose
material changes releases what was reserved of the old one."""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from domain.errors import DomainError
from domain.events.types import SpecChanged
from domain.kitting import colour_swap, stops
from domain.masterdata import BomLine, Sku
from domain.orders.changes import ChangeNotice
from domain.orders.models import Order
from domain.production import models as m
from domain.quantities import plain
from extensions import db

FOLLOWING = (*m.OPEN_WORK_ORDER, m.ON_HOLD)  # not finished or cancelled


def follow_spec(event: SpecChanged) -> None:
    order = db.session.get(Order, event.order_id)
    notice = db.session.get(ChangeNotice, event.notice_id)
    query = select(m.WorkOrder).where(m.WorkOrder.order_id == order.id, m.WorkOrder.status.in_(FOLLOWING))
    for work_order in db.session.scalars(query.with_for_update()):
        if "quantity" in notice.changes:
            _require_above_output(work_order, order.quantity)
            work_order.quantity = order.quantity
        for card in db.session.scalars(select(m.TaskCard).where(m.TaskCard.work_order_id == work_order.id)):
            if card.status not in (m.FINISHED, m.CANCELLED):
                card.quantity, card.due_date = work_order.quantity, order.due_date
                card.note = order.color_notes or ""
        if "color_notes" in notice.changes:
            _follow_colour(work_order, order.color_notes or "", notice, event.actor_id)


def _require_above_output(work_order: m.WorkOrder, quantity: Decimal) -> None:
    """Refused, and with it the whole change: the floor has already made more good pieces."""
    if quantity < work_order.good_qty:
        message = _(
            "%(number)s has already made %(made)s good pieces: the quantity cannot go below that.",
            number=work_order.number,
            made=plain(work_order.good_qty),
        )
        raise DomainError("quantity_below_output", message, {"quantity": message}, status=409)


def _follow_colour(work_order: m.WorkOrder, notes: str, notice: ChangeNotice, actor_id: int | None) -> None:
    colour_lines = list(
        db.session.execute(
            select(Sku.id, Sku.colour)
            .join(BomLine, BomLine.sku_id == Sku.id)
            .where(BomLine.bom_id == work_order.bom_version_id, Sku.colour.is_not(None), Sku.colour != "")
        )
    )
    if not colour_lines:
        return
    catalogue = db.session.execute(
        select(Sku.id, Sku.colour).where(Sku.colour.is_not(None), Sku.colour != "", Sku.active.is_(True))
    )
    wanted = colour_swap.swaps(
        [colour_swap.ColourSku(i, c) for i, c in colour_lines],
        [colour_swap.ColourSku(i, c) for i, c in catalogue],
        notes,
    )
    current = {
        row.bom_sku_id: row
        for row in db.session.scalars(
            select(m.WorkOrderMaterial).where(m.WorkOrderMaterial.work_order_id == work_order.id)
        )
    }
    for bom_sku, sku in wanted.items():
        row = current.get(bom_sku)
        was = row.sku_id if row is not None else bom_sku
        if row is not None and sku == bom_sku:
            db.session.delete(row)
        elif sku != bom_sku and row is None:
            db.session.add(
                m.WorkOrderMaterial(
                    work_order_id=work_order.id, bom_sku_id=bom_sku, sku_id=sku, notice_id=notice.id
                )
            )
        elif row is not None:
            row.sku_id, row.notice_id = sku, notice.id
        if was is not None and was != sku:
            stops.release(stops.open_reservations_of(work_order.id, {was}), stops.SPEC_CHANGE, actor_id)
    db.session.flush()
