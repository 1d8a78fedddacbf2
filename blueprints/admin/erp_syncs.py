"""Admin pages for the nightly ERP sync (DESIGN §2): the history of runs and one run's rejected rows."""

from flask import Blueprint, abort, render_template

from blueprints.access import roles_required
from domain.exchange.erp_sync import ErpSync, recent_syncs
from domain.roles import ADMIN
from extensions import db

bp = Blueprint("admin_erp_syncs", __name__, url_prefix="/admin/erp-syncs")


@bp.get("/")
@roles_required(ADMIN)
def index():
    return render_template("admin/erp_syncs.html", syncs=recent_syncs())


@bp.get("/<int:sync_id>")
@roles_required(ADMIN)
def detail(sync_id: int):
    sync = db.session.get(ErpSync, sync_id)
    if sync is None:
        abort(404)
    return render_template("admin/erp_sync.html", sync=sync)
