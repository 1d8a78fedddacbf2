"""Quality pages (DESIGN §5, §7) on a phone: work orders to inspect, the inspection form (checklist,
measured values, photos), trace with defect reports, and the kitting alert zone."""

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

import qrcode
import qrcode.constants
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage
from sqlalchemy import func, select

from blueprints.access import roles_required
from blueprints.api.lots import label_url
from blueprints.api.quality import photo_dir
from domain import roles, stage_machine
from domain.clock import utcnow
from domain.errors import DomainError
from domain.kitting import service as kitting
from domain.masterdata import Product
from domain.orders import service as order_service
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.quality import defect_service, inspection_service, stage_gate, trace
from domain.quality.first_pass_yield import first_pass_yield
from domain.quality.inspections import (
    FINAL,
    FIRST_ARTICLE,
    INSPECTION_KINDS,
    ChecklistItem,
    InspectionChecklist,
)
from domain.quality.lots import Lot
from domain.quantities import plain
from extensions import db

bp = Blueprint("quality", __name__, url_prefix="/quality")
LOT_LABEL = re.compile(r"/s/lot/([^/?#]+)/([^/?#]+)")  # <base>/s/lot/<sku>/<lot> (scanning/labels.py)

INSPECTORS = (roles.QC, roles.ADMIN)
VIEWERS = (roles.QC, roles.ADMIN, roles.PLANNER, roles.LEADER, roles.VP)
TRACERS = (roles.QC, roles.ADMIN, roles.PLANNER, roles.WAREHOUSE, roles.VP, roles.CS, roles.SERVICE)
INSPECTED_STAGES = (stage_machine.SCHEDULING, stage_machine.IN_PRODUCTION, stage_machine.AWAITING_QC)
KITTING = (roles.PLANNER, roles.WAREHOUSE, roles.ADMIN, roles.VP, roles.LEADER)


@bp.get("/")
@roles_required(*VIEWERS)
def index():
    number = (request.args.get("q") or "").strip()
    query = (
        select(WorkOrder.id, WorkOrder.number, WorkOrder.order_id, Order.number, WorkOrder.planned_start)
        .join(Order, Order.id == WorkOrder.order_id)
        .order_by(WorkOrder.planned_start.is_(None), WorkOrder.planned_start, WorkOrder.number)
        .limit(50)
    )
    if number:
        query = query.where(WorkOrder.number.contains(number))
    else:  # work orders still to inspect: their order is not shipped yet (a finished one awaits its final)
        query = query.where(Order.stage.in_(INSPECTED_STAGES))
    rows = db.session.execute(query).all()
    order_ids = list({row[2] for row in rows})
    verdicts = {kind: _verdicts_by_number(order_ids, kind) for kind in INSPECTION_KINDS}
    since = utcnow() - timedelta(days=183)
    fpy = first_pass_yield(inspection_service.yield_attempts(FINAL, since, order_service.plant_month))
    return render_template("quality/index.html", rows=rows, verdicts=verdicts, q=number, fpy=fpy)


def _verdicts_by_number(order_ids: list[int], kind: str) -> dict[str, bool | None]:
    found = stage_gate.latest_verdicts(order_ids, kind) if order_ids else {}
    return {number: passed for rows in found.values() for number, passed in rows}


@bp.get("/work-orders/<int:work_order_id>")
@roles_required(*VIEWERS)
def work_order(work_order_id: int):
    wo = inspection_service.work_order(work_order_id)
    kind = request.args.get("kind") if request.args.get("kind") in INSPECTION_KINDS else FIRST_ARTICLE
    return render_template(
        "quality/work_order.html",
        wo=wo,
        order=db.session.get(Order, wo.order_id),
        kind=kind,
        items=inspection_service.checklist_items(wo.product_id, kind),
        history=inspection_service.inspections_of(wo.id),
        may_inspect=current_user.has_any_role(INSPECTORS),
        problems=[],
        answers={},
    )


@bp.post("/work-orders/<int:work_order_id>/inspections")
@roles_required(*INSPECTORS)
def record(work_order_id: int):
    """The inspection and its photos, one use case: all recorded or, when refused, nothing."""
    kind = request.form.get("kind", "")
    answers = {k: v for k, v in request.form.items() if k.startswith("item_")}
    files = [f for f in request.files.getlist("photos") if f and f.filename]
    # at most one photo more than allowed is read, so the use case refuses a flood without reading it all
    photos = [
        inspection_service.Photo(f.read(inspection_service.PHOTO_MAX_BYTES + 1), f.filename)
        for f in files[: inspection_service.PHOTOS_PER_INSPECTION + 1]
    ]
    try:
        inspection = inspection_service.record_with_photos(
            work_order_id, kind, answers, photos, photo_dir(), current_user, request.form.get("note", "")
        )
    except DomainError as error:
        wo = inspection_service.work_order(work_order_id)
        flash(error.message, "error")
        context = {
            "wo": wo,
            "order": db.session.get(Order, wo.order_id),
            "kind": kind if kind in INSPECTION_KINDS else FIRST_ARTICLE,
            "history": inspection_service.inspections_of(wo.id),
            "may_inspect": True,
            "problems": error.fields,
            "answers": answers,
        }
        context["items"] = inspection_service.checklist_items(wo.product_id, context["kind"])
        return render_template("quality/work_order.html", **context), error.status
    label = stage_gate.KIND_LABELS[inspection.kind]
    if inspection.passed:
        flash(_("The %(what)s passed.", what=label))
    else:
        failed = ", ".join(r.name for r in inspection.results if not r.passed)
        flash(_("The %(what)s failed: %(items)s.", what=label, items=failed), "error")
    return redirect(url_for(".work_order", work_order_id=work_order_id, kind=inspection.kind))


@bp.get("/trace")
@roles_required(*TRACERS)
def trace_page():
    lot_code, sku, order_number = (request.args.get(k, "").strip() for k in ("lot", "sku", "order"))
    if scanned := LOT_LABEL.search(lot_code):  # a lot label's text, scanned or pasted into the field
        sku, lot_code = (unquote(part) for part in scanned.groups())
    context = {"lot_code": lot_code, "sku": sku, "order_number": order_number, "lot": None, "results": []}
    try:
        if lot_code:
            lot = trace.find_lot(lot_code, sku or None)
            context["lot"] = lot
            context["results"] = [
                trace.backward_from_lots([lot.id], trace.lot_origin(lot)),
                trace.forward_from_lots([lot.id], trace.lot_origin(lot)),
            ]
        elif order_number:
            order_id = db.session.execute(select(Order.id).where(Order.number == order_number)).scalar()
            if order_id is None:
                raise DomainError("not_found", _("There is no sales order %(number)s.", number=order_number))
            context["results"] = [trace.backward_from_order(order_id)]
    except DomainError as error:
        flash(error.message, "error")
    return render_template("quality/trace.html", **context)


@bp.post("/trace/lots/<int:lot_id>/defects")
@roles_required(roles.QC, roles.ADMIN)
def report_defect(lot_id: int):
    try:
        report, result = defect_service.report_defect(
            lot_id, request.form.get("description", ""), request.form.get("widened") == "1", current_user
        )
    except DomainError as error:
        flash(error.message, "error")
        lot = db.session.get(Lot, lot_id)
        return redirect(url_for(".trace_page", lot=lot.code if lot else "", sku=lot.sku.code if lot else ""))
    lot = db.session.get(Lot, lot_id)
    return render_template(
        "quality/trace.html",
        lot_code=lot.code,
        sku=lot.sku.code,
        order_number="",
        lot=lot,
        results=[result],
        report=report,
    )


@bp.get("/lots/<int:lot_id>/label")
@roles_required(roles.WAREHOUSE, roles.LEADER, roles.QC, roles.ADMIN)
def lot_label(lot_id: int):
    """A lot's QR label (`<base>/s/lot/<sku>/<lot>`), sized for a 50×30 mm thermal label or A4."""
    lot = db.session.get(Lot, lot_id)
    if lot is None:
        abort(404)
    url = label_url(lot.sku.code, lot.code)
    work_order = db.session.get(WorkOrder, lot.work_order_id) if lot.work_order_id else None
    return render_template(
        "quality/lot_label.html", lot=lot, url=url, svg=Markup(qr_svg(url)), work_order=work_order
    )


def qr_svg(text: str) -> str:
    """The QR code as inline SVG markup (error correction Q: a quarter may be scuffed and it reads)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code.make_image(image_factory=SvgPathImage).to_string(encoding="unicode")


@bp.get("/checklists")
@roles_required(*INSPECTORS)
def checklists():
    counts = dict(
        db.session.execute(
            select(InspectionChecklist.product_id, func.count(ChecklistItem.id))
            .join(ChecklistItem)
            .where(ChecklistItem.active.is_(True))
            .group_by(InspectionChecklist.product_id)
        ).all()
    )
    products = db.session.execute(
        select(Product.id, Product.model, Product.name)
        .where(Product.active.is_(True))
        .order_by(Product.model)
    ).all()
    return render_template("quality/checklists.html", products=products, counts=counts)


@bp.route("/checklists/<int:product_id>", methods=["GET", "POST"])
@roles_required(*INSPECTORS)
def checklist(product_id: int):
    product = db.session.get(Product, product_id) or abort(404)
    rows, problems = None, {}
    if request.method == "POST":
        rows = [row for row in checklist_rows(request.form) if row["name"]]  # problems index these
        try:
            inspection_service.save_checklist(product_id, rows, current_user)
        except DomainError as error:
            flash(error.message, "error")
            problems = error.fields
        else:
            flash(_("Checklist of %(model)s saved.", model=product.model))
            return redirect(url_for(".checklist", product_id=product_id))
    if rows is None:
        rows = [item_row(i) for i in inspection_service.checklist_items(product_id)]
    rows += [item_row(None)] * BLANK_ROWS
    return render_template("quality/checklist.html", product=product, rows=rows, problems=problems)


BLANK_ROWS = 3
ROW_FIELDS = ("name", "method", "nominal", "tol_minus", "tol_plus", "unit")


def item_row(item: ChecklistItem | None) -> dict:
    if item is None:
        return {"name": "", "method": "measure", "nominal": "", "tol_minus": "", "tol_plus": "", "unit": "",
                "first_article": True, "final": True}  # fmt: skip
    return {
        "name": item.name,
        "method": item.method,
        **{
            k: "" if getattr(item, k) is None else plain(getattr(item, k))
            for k in ("nominal", "tol_minus", "tol_plus")
        },
        "unit": item.unit,
        "first_article": item.first_article,
        "final": item.final,
    }


def checklist_rows(form) -> list[dict]:
    """The editor's rows (`name_0`, `method_0`, ...) as checklist items; numbers left as typed, so a bad
    one is refused with the row it came from."""
    rows = []
    for n in range(int(form.get("rows", 0) or 0)):
        row = {k: (form.get(f"{k}_{n}") or "").strip() for k in ROW_FIELDS}
        for key in ("nominal", "tol_minus", "tol_plus"):
            row[key] = _decimal(row[key])
        row["method"] = row["method"] or "measure"
        row["first_article"] = form.get(f"first_article_{n}") == "1"
        row["final"] = form.get(f"final_{n}") == "1"
        rows.append(row)
    return rows


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ".")) if text else None
    except InvalidOperation:
        return None


@bp.post("/kitting/<int:work_order_id>/reservations")
@roles_required(roles.PLANNER, roles.WAREHOUSE)
def reserve(work_order_id: int):
    try:
        kitting.reserve(
            work_order_id, request.form.get("sku", ""), request.form.get("qty", "0"), current_user
        )
    except (DomainError, InvalidOperation) as error:
        flash(getattr(error, "message", _("Enter a quantity.")), "error")
    else:
        flash(_("Reserved."))
    return redirect(url_for(".kitting_detail", work_order_id=work_order_id))


@bp.get("/kitting")
@roles_required(*KITTING)
def kitting_page():
    days = request.args.get("days", type=int) or kitting.ALERT_DAYS
    return render_template("quality/kitting.html", zone=kitting.alert_zone(min(max(days, 1), 60)), days=days)


@bp.get("/kitting/<int:work_order_id>")
@roles_required(*KITTING)
def kitting_detail(work_order_id: int):
    return render_template(
        "quality/kitting_detail.html",
        k=kitting.for_work_order(work_order_id),
        reservations=kitting.reservations_of(work_order_id),
    )


@bp.app_template_filter("percent")
def percent(value) -> str:
    return f"{float(value) * 100:.0f}%"
