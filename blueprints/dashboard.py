"""The dashboard page (看板, DESIGN §9): order pool, production heatmap, kitting alerts and delivery
countdown, on a desk, a wall screen (`?layout=wall`) or a phone; the modules then update live."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.api.dashboard import DASHBOARD_ROLES
from domain.kpi import service
from domain.stage_machine import STAGE_LABELS

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
LAYOUTS = ("desk", "wall")


def labels() -> dict:
    """Every text the page's script shows, translated here (the script holds no words)."""
    return {
        "stages": {key: str(label) for key, label in STAGE_LABELS.items()},
        "open_total": _("Open orders"),
        "by_stage": _("By stage"),
        "by_priority": _("Open, by priority"),
        "by_customer": _("Open, by customer (top 10)"),
        "no_data": _("Not recorded yet"),
        "kitting_no_data": _("Kitting is not recorded in this system yet."),
        "kitting_none": _("Every work order starting within 7 days is fully kitted."),
        "kitting_rate": _("kitted"),
        "missing": _("missing"),
        "starts": _("starts"),
        "countdown_none": _("No open order is due within 14 days."),
        "due_today": _("due today"),
        "days_left_one": _("1 day left"),
        "days_left_other": _("{n} days left"),
        "late_one": _("1 day late"),
        "late_other": _("{n} days late"),
        "fai_passed": _("First article passed"),
        "fai_missing": _("No passed first-article inspection"),
        "fai_unknown": _("First-article inspections are not recorded yet"),
        "alarm": _("Alarm: due within 3 days without a passed first-article inspection"),
        "more": _("{n} more in the order list"),
        "more_work_orders": _("and {n} more work orders"),
        "workshop": _("Workshop"),
        "load": _("load"),
        "progress": _("progress"),
        "planned": _("{planned} of {capacity} machine hours planned"),
        "no_workshops": _("No workshop is set up yet."),
        "connecting": _("Connecting…"),
        "live": _("Live"),
        "offline": _("Reconnecting…"),
        "updated": _("Updated {time}"),
    }


@bp.get("/")
@roles_required(*DASHBOARD_ROLES)
def index():
    layout = request.args.get("layout", "desk")
    layout = layout if layout in LAYOUTS else "desk"
    context = {
        "layout": layout,
        "modules": service.dashboard_modules(),
        "labels": labels(),
        "orders_url": url_for("orders.index"),
        "api_base": url_for("api_dashboard.order_pool").rsplit("/", 1)[0],  # + /order-pool, /heatmap …
        "other_layout": "desk" if layout == "wall" else "wall",
    }
    return render_template("dashboard/index.html", **context)
