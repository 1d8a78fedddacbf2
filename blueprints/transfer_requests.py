"""The desk's transfer request form (调拨申请, DESIGN §6): opened from a kitting shortage or a work order,
prefilled with the short SKU, the quantity short, the work order as the reference and the warehouse
that feeds it; the request is checked as one made on the phone."""

from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from blueprints.access import roles_required
from domain import roles
from domain.errors import DomainError
from domain.kitting import service as kitting
from domain.masterdata import Warehouse
from domain.stock import transfer_service
from domain.stock.transfer_drafts import TransferDraft, draft_for_shortage
from extensions import db

bp = Blueprint("transfer_requests", __name__, url_prefix="/transfers")
REQUESTERS = (roles.PLANNER, roles.WAREHOUSE)  # as the API's POST /transfers
FIELDS = ("order_ref", "sku", "qty", "from_warehouse", "to_warehouse")


@bp.get("/new")
@roles_required(*REQUESTERS)
def new():
    """`wo` (a work order id): its short SKU (`sku`, else the one most short) and the quantity short."""
    draft, shortages = _draft(request.args.get("wo", type=int), request.args.get("sku", ""))
    return _form(draft, shortages)


@bp.post("/new")
@roles_required(*REQUESTERS)
def create():
    form = {name: request.form.get(name, "").strip() for name in FIELDS}
    try:
        transfer = transfer_service.request_transfer(transfer_service.TransferRequest(**form), current_user)
    except DomainError as error:
        draft = TransferDraft(
            form["order_ref"], form["sku"], form["qty"], form["to_warehouse"], form["from_warehouse"]
        )
        return _form(draft, [], error), 422
    flash(_("Transfer %(number)s requested.", number=transfer.number))
    return redirect(url_for(".new"))


def _draft(work_order_id: int | None, sku: str) -> tuple[TransferDraft | None, list]:
    """The draft for the work order's short SKU, and all its short lines (to switch to another)."""
    if not work_order_id:
        return None, []
    found = kitting.for_work_order(work_order_id)
    shortages = [line for line in found.lines if not line.status.covered]
    chosen = next((line for line in shortages if line.sku == sku), None)
    chosen = chosen or max(shortages, key=lambda line: line.status.short, default=None)
    if chosen is None:
        return TransferDraft(found.number, sku, Decimal(0), "", ""), []
    return draft_for_shortage(found.number, chosen.sku, chosen.status.short), shortages


def _form(draft: TransferDraft | None, shortages: list, error: DomainError | None = None):
    warehouses = db.session.execute(
        select(Warehouse.code, Warehouse.name).where(Warehouse.active).order_by(Warehouse.code)
    ).all()
    return render_template(
        "transfer_requests/new.html",
        draft=draft,
        shortages=shortages,
        warehouses=warehouses,
        error=error,
        work_order_id=request.args.get("wo", type=int),
    )
