"""/labels: print QR labels for locations, SKUs, lots, work orders and serial numbers (A4 or thermal),
and one code as PNG or SVG. Location labels are signed, so only warehouse staff and admins print them.
"""

import re
from decimal import Decimal

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from blueprints.access import roles_required
from domain import roles
from domain.errors import DomainError
from domain.labels import sheet_cards
from domain.masterdata import Location
from extensions import db
from scanning import sheets
from scanning.label_signing import current_key, location_label_url
from scanning.labels import ID_NAMES, LOCATION, MAX_ID_LENGTH, SERIAL, WORK_ORDER, label_url, public_base
from scanning.qr import qr_png, qr_svg

bp = Blueprint("label_sheets", __name__, url_prefix="/labels")
LOCATION_PRINTERS = (roles.WAREHOUSE, roles.ADMIN)
ITEM_PRINTERS = (roles.WAREHOUSE, roles.ADMIN, roles.PLANNER)
NUMBER_PRINTERS = (roles.WAREHOUSE, roles.ADMIN, roles.PLANNER, roles.LEADER, roles.QC, roles.SERVICE)


def _format() -> sheets.SheetFormat:
    return sheets.FORMATS.get(request.args.get("format", "a4"), sheets.FORMATS["a4"])


def _sheet(cards: list[sheets.Card], title: str):
    if not cards:
        raise DomainError(
            "nothing_to_print", _("Nothing to print: no label matches this choice."), status=404
        )
    sheet = _format()
    return render_template(
        "labels/sheet.html", title=title, sheet=sheet, pages=sheets.pages(cards, sheet), count=len(cards)
    )


@bp.get("/")
@roles_required(*NUMBER_PRINTERS)
def index():
    return render_template(
        "labels/index.html",
        formats=sheets.FORMATS.values(),
        warehouses=sheet_cards.warehouses(),
        can_locations=current_user.has_any_role(set(LOCATION_PRINTERS)),
        can_items=current_user.has_any_role(set(ITEM_PRINTERS)),
        number_kinds=sheets.NUMBER_KINDS,
    )


@bp.get("/locations")
@roles_required(*LOCATION_PRINTERS)
def locations():
    warehouse = request.args.get("warehouse", "")
    ids = [int(i) for i in request.args.getlist("id") if i.isdigit()]
    cards = sheet_cards.location_cards(public_base(), current_key(), warehouse, ids)
    return _sheet(cards, _("Location labels %(warehouse)s", warehouse=warehouse))


@bp.get("/skus")
@roles_required(*ITEM_PRINTERS)
def skus():
    cards = sheet_cards.sku_cards(
        public_base(), request.args.getlist("code"), request.args.get("q", "").strip()
    )
    return _sheet(cards, _("SKU labels"))


@bp.get("/lots")
@roles_required(*ITEM_PRINTERS)
def lots():
    args = {key: request.args.get(key, "").strip() for key in ("warehouse", "sku", "lot", "qty")}
    container = sheets.ContainerQty(_container_qty(args["qty"]), current_key()) if args["qty"] else None
    cards = sheet_cards.lot_cards(public_base(), args["warehouse"], args["sku"], args["lot"], container)
    return _sheet(cards, _("Lot labels"))


def _container_qty(text: str) -> str:
    """The quantity printed on a container label: above 0, at most 3 decimals, as the phone accepts."""
    if not re.fullmatch(r"\d{1,9}(\.\d{1,3})?", text) or Decimal(text) <= 0:
        raise DomainError(
            "invalid_quantity",
            _("Enter a quantity above 0, with at most 3 decimal places."),
            {"qty": _("not a quantity")},
        )
    return format(Decimal(text).normalize(), "f")


@bp.get("/numbers")
@roles_required(*NUMBER_PRINTERS)
def numbers():
    kind = request.args.get("kind", "")
    if kind not in sheets.NUMBER_KINDS:
        abort(404)
    typed = request.args.get("numbers", "").splitlines() + request.args.getlist("n")
    if any(len(number.strip()) > MAX_ID_LENGTH for number in typed):
        raise DomainError(
            "number_too_long",
            _("A number on a label has at most %(n)d characters.", n=MAX_ID_LENGTH),
            {"numbers": _("too long")},
        )
    title = _("Work order labels") if kind == WORK_ORDER else _("Serial number labels")
    return _sheet(sheets.number_cards(public_base(), kind, typed), title)


def _payload() -> str:
    """One label's payload from the query: `kind` and its ids as named in scanning/labels.py."""
    kind = request.args.get("kind", "")
    if kind not in ID_NAMES:
        abort(404)
    if kind == LOCATION:
        if not current_user.has_any_role(set(LOCATION_PRINTERS)):
            abort(403)
        location_id = request.args.get("location_id", "")
        if not location_id.isdigit():
            abort(404)
        code = db.session.execute(select(Location.code).where(Location.id == int(location_id))).scalar()
        return location_label_url(public_base(), current_key(), int(location_id), code)
    ids = [request.args.get(name, "").strip() for name in ID_NAMES[kind]]
    if not all(ids) or any(len(i) > MAX_ID_LENGTH for i in ids):
        abort(404)
    if kind in (WORK_ORDER, SERIAL) or current_user.has_any_role(set(ITEM_PRINTERS)):
        return label_url(public_base(), kind, *ids)
    abort(403)


@bp.get("/code.png")
@roles_required(*NUMBER_PRINTERS)
def code_png():
    return Response(
        qr_png(_payload(), box_size=8), mimetype="image/png", headers={"Cache-Control": "private"}
    )


@bp.get("/code.svg")
@roles_required(*NUMBER_PRINTERS)
def code_svg():
    return Response(qr_svg(_payload()), mimetype="image/svg+xml", headers={"Cache-Control": "private"})
