"""/api/v1/dashboard and /api/v1/kpi: the dashboard modules (DESIGN §9) and the monthly KPIs as JSON.
The dashboard page re-reads the modules after a reconnect; otherwise it receives the same shapes over
Socket.IO (`dashboard_update`: {module: data} for the modules a change moved)."""

import marshmallow as ma
from flask_smorest import Blueprint

from blueprints.access import roles_required
from domain.kpi import service
from domain.orders.service import SEE_ALL_ROLES

blp = Blueprint("api_dashboard", __name__, url_prefix="/dashboard", description="Dashboards (看板)")
kpi_blp = Blueprint("api_kpi", __name__, url_prefix="/kpi", description="Monthly KPIs: OHDI and more")

# The dashboard shows every order, so it is for those who may see every order (not a salesperson,
# who sees their own).
DASHBOARD_ROLES = tuple(sorted(SEE_ALL_ROLES))


class MonthsArgs(ma.Schema):
    months = ma.fields.Integer(load_default=12, validate=ma.validate.Range(min=1, max=service.MAX_MONTHS))


def _module(name: str) -> dict:
    return service.dashboard_module(name)


@blp.route("/order-pool", methods=["GET"])
@blp.response(200, description="Counts by stage; open orders by priority and by customer (top 10)")
@roles_required(*DASHBOARD_ROLES)
def order_pool():
    return _module("order_pool")


@blp.route("/heatmap", methods=["GET"])
@blp.response(200, description="Workshop × plant day: planned hours, capacity, load and progress")
@roles_required(*DASHBOARD_ROLES)
def heatmap():
    return _module("heatmap")


@blp.route("/kitting", methods=["GET"])
@blp.response(200, description="Work orders starting within 7 days with kitting below 100 %")
@roles_required(*DASHBOARD_ROLES)
def kitting():
    return _module("kitting")


@blp.route("/countdown", methods=["GET"])
@blp.response(200, description="Open orders due within 14 days (and late ones); alarm = red and flashing")
@roles_required(*DASHBOARD_ROLES)
def countdown():
    return _module("countdown")


@kpi_blp.route("/ohdi", methods=["GET"])
@kpi_blp.arguments(MonthsArgs, location="query")
@kpi_blp.response(200, description="OHDI per plant month with its four terms and the trend")
@roles_required(*DASHBOARD_ROLES)
def ohdi(args: dict):
    return service.ohdi(args["months"])


@kpi_blp.route("/missing-information", methods=["GET"])
@kpi_blp.arguments(MonthsArgs, location="query")
@kpi_blp.response(200, description="Share of submissions with at least one failed rule, per month")
@roles_required(*DASHBOARD_ROLES)
def missing_information(args: dict):
    return service.missing_information(args["months"])


@kpi_blp.route("/repair-hot-spots", methods=["GET"])
@kpi_blp.arguments(MonthsArgs, location="query")
@kpi_blp.response(200, description="Repairs per product model (top 10) by the product's age")
@roles_required(*DASHBOARD_ROLES)
def repair_hot_spots(args: dict):
    return service.repair_hot_spots(args["months"])
