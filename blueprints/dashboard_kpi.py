"""The KPI page (DESIGN §9, §3.1, §8): OHDI per month with its four terms and trend, the monthly
missing-information rate and the repair hot spots as charts, and the same figures as an XLSX file."""

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.api.dashboard import DASHBOARD_ROLES
from domain.kpi import export, service

bp = Blueprint("kpi", __name__, url_prefix="/kpi")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _months() -> int:
    value = request.args.get("months", "12")
    return max(1, min(service.MAX_MONTHS, int(value))) if value.isdigit() else 12


def term_labels() -> dict:
    return {
        "ohdi": _("OHDI"),
        "on_time": _("On-time delivery"),
        "first_pass_yield": _("First-pass yield"),
        "change_response": _("Change response score"),
        "rating": _("Customer rating score"),
        "missing_rate": _("Missing-information rate"),
        "repairs": _("Repairs"),
        "age": _("Age at repair (months)"),
        "unknown": _("unknown"),
        "no_data": _("Not recorded yet"),
    }


@bp.get("/")
@roles_required(*DASHBOARD_ROLES)
def index():
    months = _months()
    context = {
        "months": months,
        "ohdi": service.ohdi(months),
        "missing": service.missing_information(months),
        "hot_spots": service.repair_hot_spots(months),
        "labels": term_labels(),
    }
    return render_template("dashboard/kpi.html", **context)


@bp.get("/export.xlsx")
@roles_required(*DASHBOARD_ROLES)
def export_xlsx():
    months = _months()
    text = {
        "ohdi_sheet": _("OHDI"),
        "ohdi_headers": [
            _("Month"),
            _("OHDI"),
            _("On-time delivery"),
            _("First-pass yield"),
            _("Mean change response (h)"),
            _("Change response score"),
            _("Mean rating"),
            _("Customer rating score"),
            _("Orders shipped"),
            _("Shipped on time"),
            _("First inspections"),
            _("Passed first time"),
            _("Changes completed"),
            _("Ratings"),
        ],
        "missing_sheet": _("Missing information"),
        "missing_headers": [_("Month"), _("Submissions"), _("With missing information"), _("Rate")],
        "hot_spot_sheet": _("Repair hot spots"),
        "model": _("Product model"),
        "repairs": _("Repairs"),
    }
    body = export.workbook(
        service.ohdi(months), service.missing_information(months), service.repair_hot_spots(months), text
    )
    today = service.today()
    return Response(
        body,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="kpi-{today:%Y%m%d}.xlsx"'},
    )
