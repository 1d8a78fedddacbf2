"""My notifications (DESIGN §4): which messages reach me on which channel, and my quiet hours."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from blueprints.access import roles_required
from domain.delivery import preferences, rules
from domain.delivery.models import WEB_PUSH, WECOM_APP
from domain.errors import DomainError

bp = Blueprint("notification_settings", __name__, url_prefix="/me")

KIND_LABELS = {
    rules.TASK_CARD: _l("New task cards"),
    rules.CHANGE_NOTICE: _l("Change notices"),
    rules.FIRST_ARTICLE: _l("First-article requests"),
    rules.RUSH: _l("Rush orders waiting for a decision"),
}
CHANNEL_LABELS = {WECOM_APP: _l("WeCom"), WEB_PUSH: _l("This app's notifications")}


@bp.route("/notifications", methods=["GET", "POST"])
@roles_required()
def notifications():
    form = FlaskForm()
    problems: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        wanted = frozenset(k for k in request.form if k.count(":") == 1)
        choices = preferences.Choices(
            wanted, request.form.get("quiet_from", "").strip(), request.form.get("quiet_to", "").strip()
        )
        try:
            preferences.save(current_user.id, choices)
        except DomainError as error:
            problems = error.fields
        else:
            flash(_("Your notification settings are saved."))
            return redirect(url_for(".notifications"))
    else:
        choices = preferences.current(current_user.id)
    context = {
        "form": form,
        "choices": choices,
        "problems": problems,
        "kinds": KIND_LABELS,
        "channels": CHANNEL_LABELS,
        "urgent": rules.URGENT,
    }
    return render_template("main/notifications.html", **context), 422 if problems else 200
