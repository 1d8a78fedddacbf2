"""`/s/<kind>/<id>`: what a plain phone camera opens when it reads a label (payloads: scanning/labels.py).

A location label opens the scanner at that location for warehouse workers, and the location's stock
for everyone else; a SKU or lot label opens where that stock lies; a work-order label opens the work
order. Serial labels (`/s/sn/...`) are blueprints/service.py's. Signed-out users sign in and come back.
"""

from urllib.parse import quote

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from domain import audit, roles
from domain.errors import DomainError
from domain.labels import targets
from domain.labels.reading import read_label
from scanning.label_signing import current_key, location_label_url
from scanning.labels import LOCATION, LOT, SKU, WORK_ORDER, Label, public_base

bp = Blueprint("label_links", __name__, url_prefix="/s")
STOCK_READERS = frozenset({roles.WAREHOUSE, roles.PLANNER, roles.ADMIN, roles.LEADER, roles.QC})
WORK_ORDER_READERS = frozenset(
    {roles.PLANNER, roles.LEADER, roles.ADMIN, roles.VP, roles.QC, roles.WAREHOUSE}
)  # blueprints/production.py VIEWERS


def _raw_path() -> str:
    """The path as sent, `%2F` inside an id kept (PATH_INFO has it decoded already)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or quote(request.path)
    path = raw.split("?", 1)[0]
    if "://" in path:  # an absolute request-target
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    root = request.script_root
    return path[len(root) :] if root and path.startswith(root) else path


def _read(kind: str, rest: str) -> Label:
    """The label this request's path holds. When a `%2F` inside an id arrives decoded (a proxy, the
    sign-in redirect), the decoded path is read instead: SKU and order numbers keep their slashes,
    and a lot label's SKU is the longest known SKU code in front."""
    try:
        label = read_label(_raw_path())
    except DomainError as error:
        if error.code != "invalid_label":
            raise  # a forged location label: refused, with its message
        label = None
    if label is not None and label.kind == kind:
        return label
    segments = [segment for segment in rest.split("/") if segment]
    text = request.path
    if kind == LOT:
        split = targets.split_lot_path(segments)
        if split is None:
            raise DomainError(
                "invalid_label", _("This label of Order Helper is incomplete or damaged; print it again.")
            )
        return Label(LOT, text, {"sku": split[0], "lot": split[1]})
    name = {SKU: "sku", WORK_ORDER: "work_order"}[kind]
    return Label(kind, text, {name: "/".join(segments)})


def _may(allowed: frozenset[str]) -> bool:
    return current_user.has_any_role(allowed)


@bp.get("/loc/<path:token>")
@roles_required()
def location(token: str):
    try:
        location_id = _read(LOCATION, token).ids["location_id"]
    except DomainError as refusal:
        changes = {"path": _raw_path()[:200]}
        audit.record_refusal("label_refused", "location_label", changes, actor=current_user)
        raise refusal
    found, lines = targets.location(location_id)
    if found is None:
        raise DomainError(
            "unknown_location",
            _("This location label names a location that no longer exists; ask for a new label."),
            status=404,
        )
    scanner_url = None
    if "scanner.scan" in current_app.view_functions:
        label = location_label_url(public_base(), current_key(), location_id)
        scanner_url = url_for("scanner.scan", loc=label)
        if _may(frozenset({roles.WAREHOUSE})) and found.active:
            return redirect(scanner_url)
    return render_template(
        "labels/location.html",
        location=found,
        lines=lines if _may(STOCK_READERS) else None,
        scanner_url=scanner_url if _may(frozenset({roles.WAREHOUSE})) else None,
    )


@bp.get("/sku/<path:code>")
@roles_required()
def sku(code: str):
    return _stock_page(_read(SKU, code))


@bp.get("/lot/<path:rest>")
@roles_required()
def lot(rest: str):
    return _stock_page(_read(LOT, rest))


def _stock_page(label: Label):
    code, lot_code = label.ids["sku"], label.ids.get("lot")
    stock = targets.sku_stock(code, lot_code)
    trace_url = None
    if lot_code and "quality.trace_page" in current_app.view_functions:
        trace_url = url_for("quality.trace_page", lot=lot_code, sku=code)
    page = render_template(
        "labels/stock.html",
        code=code,
        lot=lot_code,
        stock=stock,
        lines=stock.lines if _may(STOCK_READERS) else None,
        trace_url=trace_url,
    )
    return page, 200 if stock.sku is not None else 404


@bp.get("/wo/<path:number>")
@roles_required()
def work_order(number: str):
    number = _read(WORK_ORDER, number).ids["work_order"]
    found = targets.work_order(number)
    if found is not None and _may(WORK_ORDER_READERS):
        return redirect(url_for("production.work_order", work_order_id=found.id))
    order_id = None if found is not None else targets.sales_order_id(number)
    if order_id is not None:
        return redirect(url_for("orders.detail", order_id=order_id))
    search_url = (
        url_for("orders.index", number=number) if "orders.index" in current_app.view_functions else None
    )
    page = render_template("labels/work_order.html", number=number, work_order=found, search_url=search_url)
    return page, 200 if found is not None else 404
