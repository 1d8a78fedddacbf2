"""Admin overview of entry errors and points per user (DESIGN §10)."""

from flask import Blueprint, render_template

from blueprints.access import roles_required
from blueprints.entry_record import plant_zone
from domain.adoption import entry_errors
from domain.roles import ADMIN

bp = Blueprint("admin_entry_errors", __name__, url_prefix="/admin/entry-errors")

RECENT_WEEKS = 4


@bp.get("/")
@roles_required(ADMIN)
def index():
    return render_template(
        "admin/entry_errors.html", records=entry_errors.overview(plant_zone()), recent=RECENT_WEEKS
    )
