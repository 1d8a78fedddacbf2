"""The warehouse exceptions page (DESIGN §6): GPS flags, refusals, discrepancies and adjustments for
whoever supervises the warehouse, filtered by person, warehouse and day."""

from datetime import date

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from blueprints.access import roles_required
from domain import clock
from domain.masterdata import Warehouse
from domain.roles import ADMIN, SUPERVISOR, WAREHOUSE
from domain.stock import exceptions as found
from domain.stock.transfers import Transfer
from extensions import db

bp = Blueprint("exceptions", __name__, url_prefix="/exceptions")


@bp.get("/")
@roles_required(WAREHOUSE, SUPERVISOR, ADMIN)
def index():
    filters = found.Filters(
        person=request.args.get("person", "").strip()[:64],
        warehouse=request.args.get("warehouse", "").strip()[:32],
        day=_day(request.args.get("day", "")),
    )
    zone = clock.plant_zone()
    return render_template(
        "exceptions/index.html",
        found=found.exceptions(filters, zone),
        filters=filters,
        warehouses=db.session.execute(select(Warehouse.code, Warehouse.name).order_by(Warehouse.code)).all(),
        zone=zone,
    )


@bp.get("/moves/<int:move_id>")
@roles_required(WAREHOUSE, SUPERVISOR, ADMIN)
def move(move_id: int):
    """One ledger move, as an exception links to it: what, where, who, the GPS fix and its flags."""
    detail = found.move_detail(move_id)
    if detail is None:
        abort(404)
    return render_template("exceptions/move.html", detail=detail, zone=clock.plant_zone())


@bp.get("/transfers/<int:transfer_id>")
@roles_required(WAREHOUSE, SUPERVISOR, ADMIN)
def transfer(transfer_id: int):
    return render_template(
        "exceptions/transfer.html", transfer=db.get_or_404(Transfer, transfer_id), zone=clock.plant_zone()
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None
