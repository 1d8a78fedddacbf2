"""The user's own entry record (DESIGN §10): entry errors per week and the points earned."""

from flask import Blueprint, render_template
from flask_login import current_user

from blueprints.access import roles_required
from domain.adoption import entry_errors
from domain.adoption.points import POINTS_PER_AWARD, WEEKS_PER_AWARD
from domain.clock import plant_zone

bp = Blueprint("entry_record", __name__, url_prefix="/me")

WEEKS_SHOWN = 12


@bp.get("/entry-record")
@roles_required()
def mine():
    record = entry_errors.record_for(current_user, plant_zone())
    return render_template(
        "main/entry_record.html",
        record=record,
        weeks=record.recent(WEEKS_SHOWN),
        award=POINTS_PER_AWARD,
        per=WEEKS_PER_AWARD,
    )
