"""Admin: the delivery log (企业微信, Web Push) with each message's state and last error, how the
channels are set up, and a test message to oneself (DESIGN §4)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from blueprints.access import roles_required
from domain.delivery import log
from domain.delivery.models import DROPPED, PENDING, SENDING, SENT
from domain.roles import ADMIN

bp = Blueprint("admin_delivery", __name__, url_prefix="/admin/delivery")

STATE_LABELS = {
    PENDING: _l("Waiting"),
    SENDING: _l("Being sent"),
    SENT: _l("Delivered"),
    DROPPED: _l("Dropped: the device is gone"),
}


@bp.get("/")
@roles_required(ADMIN)
def index():
    state = request.args.get("state") if request.args.get("state") in STATE_LABELS else None
    context = {
        "setup": log.setup(),
        "counts": log.counts(),
        "rows": log.recent(state),
        "state": state,
        "labels": STATE_LABELS,
        "form": FlaskForm(),
    }
    return render_template("admin/delivery.html", **context)


@bp.post("/test")
@roles_required(ADMIN)
def test():
    if not FlaskForm().validate_on_submit():
        abort(400)
    queued = log.send_test(current_user)
    if queued:
        flash(_("%(n)s test messages queued: their state shows below.", n=queued))
    else:
        flash(_("No channel reaches you yet: set your WeCom userid or turn notifications on."), "error")
    return redirect(url_for(".index"))
