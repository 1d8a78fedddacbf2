"""Change pages (DESIGN §3.2): my changes to acknowledge (highlighted until I do), acknowledging, and
issuing a process change notice on a product model."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.access import roles_required
from blueprints.admin.refusals import show_on_form
from blueprints.order_forms import ActionForm
from domain import roles
from domain.errors import DomainError
from domain.masterdata import Product
from domain.orders import changes
from extensions import db

bp = Blueprint("order_changes", __name__, url_prefix="/changes")

ACKNOWLEDGERS = (roles.PLANNER, roles.WAREHOUSE, roles.LEADER, roles.QC)
ISSUERS = (roles.PLANNER, roles.ADMIN)


class ProcessNoticeForm(FlaskForm):
    product_model = StringField(_l("Product model"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("What changes"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Details for the shop floor"), validators=[Length(max=2000)])


@bp.get("/")
@roles_required()
def inbox():
    entries = changes.inbox(current_user.id)
    return render_template("orders/changes.html", entries=entries, action_form=ActionForm())


def _back(default: str) -> str:
    """Back to the page the button was on (same site only)."""
    target = request.args.get("next", "")
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return default


@bp.post("/<int:notice_id>/ack")
@roles_required(*ACKNOWLEDGERS)
def acknowledge(notice_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        changes.acknowledge(notice_id, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("Thank you: the change is acknowledged."))
    return redirect(_back(url_for(".inbox")))


@bp.route("/process/new", methods=["GET", "POST"])
@roles_required(*ISSUERS)
def new_process_notice():
    form = ProcessNoticeForm()
    if form.validate_on_submit():
        try:
            notice = changes.create_process_notice(
                form.product_model.data.strip(), form.title.data, form.body.data or "", current_user
            )
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(
                _(
                    "Process change notice sent to %(num)d people.",
                    num=len(notice.recipients),
                )
            )
            return redirect(url_for(".inbox"))
    models = db.session.execute(
        db.select(Product.model, Product.name)
        .where(Product.active.is_(True))
        .order_by(Product.model)
        .limit(500)
    ).all()
    return render_template(
        "orders/process_notice.html", form=form, products=models
    ), 422 if form.errors else 200
