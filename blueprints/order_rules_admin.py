"""Admin pages for the order rules: compliance rules (switch off, reword in zh/en, add a required field),
the monthly missing-information rate, and the rush scoring settings (weights, bands, threshold)."""

from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from blueprints.access import roles_required
from blueprints.admin.refusals import show_on_form
from blueprints.order_forms import FIELD_LABELS
from domain.errors import DomainError
from domain.orders import compliance_rules, rush_requests
from domain.orders.compliance import REQUIRABLE_FIELDS
from domain.orders.rush_score import DIMENSIONS
from domain.roles import ADMIN

bp = Blueprint("order_rules_admin", __name__, url_prefix="/admin/order-rules")


class RuleForm(FlaskForm):
    active = BooleanField(_l("Checked on submission"))
    message_zh = StringField(_l("Message (Chinese)"), validators=[DataRequired(), Length(max=300)])
    message_en = StringField(_l("Message (English)"), validators=[DataRequired(), Length(max=300)])


class RequiredRuleForm(FlaskForm):
    field = SelectField(
        _l("Field that must be filled in"), choices=[(f, FIELD_LABELS[f]) for f in REQUIRABLE_FIELDS]
    )
    message_zh = StringField(_l("Message (Chinese)"), validators=[DataRequired(), Length(max=300)])
    message_en = StringField(_l("Message (English)"), validators=[DataRequired(), Length(max=300)])


@bp.get("/")
@roles_required(ADMIN)
def index():
    rules = compliance_rules.all_rules()
    forms = {rule.id: RuleForm(obj=rule, prefix=f"r{rule.id}") for rule in rules}
    context = {
        "rules": rules,
        "forms": forms,
        "new_form": RequiredRuleForm(prefix="new"),
        "rates": compliance_rules.missing_information_rate(12),
        "settings": rush_requests.load_settings(),
        "dimensions": DIMENSIONS,
    }
    return render_template("orders/rules.html", **context)


@bp.post("/rules/<int:rule_id>")
@roles_required(ADMIN)
def edit_rule(rule_id: int):
    form = RuleForm(prefix=f"r{rule_id}")
    if not form.validate_on_submit():
        flash(_("Both messages are needed, each at most 300 characters."), "error")
        return redirect(url_for(".index", _anchor=f"rule-{rule_id}"))
    edit = compliance_rules.RuleEdit(form.active.data, form.message_en.data, form.message_zh.data)
    try:
        rule = compliance_rules.update_rule(rule_id, edit, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("Rule saved: %(message)s", message=rule.message_en if _is_en() else rule.message_zh))
    return redirect(url_for(".index", _anchor=f"rule-{rule_id}"))


@bp.post("/rules/new")
@roles_required(ADMIN)
def add_rule():
    form = RequiredRuleForm(prefix="new")
    if form.validate_on_submit():
        try:
            compliance_rules.add_required_rule(
                form.field.data, form.message_en.data, form.message_zh.data, current_user
            )
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Required-field rule added."))
            return redirect(url_for(".index"))
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}: {message}", "error")
    return redirect(url_for(".index", _anchor="new-rule"))


@bp.post("/rush-settings")
@roles_required(ADMIN)
def rush_settings():
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        data = _settings_from_form()
        rush_requests.save_settings(data, current_user)
    except DomainError as error:
        problems = "; ".join(error.fields.values()) or error.message
        flash(f"{error.message} {problems}", "error")
    else:
        flash(_("Rush scoring settings saved."))
    return redirect(url_for(".index", _anchor="rush-settings"))


def _settings_from_form() -> dict:
    """Percent inputs to the stored fractions; anything that is not a number is refused whole."""
    form = request.form
    try:
        weights = {d: str(Decimal(form[f"weight_{d}"]) / 100) for d in DIMENSIONS}
        return {
            "weights": weights,
            "threshold": str(Decimal(form["threshold"])),
            "urgency_fast_ratio": str(Decimal(form["urgency_fast_pct"]) / 100),
            "urgency_slow_ratio": str(Decimal(form["urgency_slow_pct"]) / 100),
            "kitting_full_rate": str(Decimal(form["kitting_full_pct"]) / 100),
            "complexity_change_penalty": str(Decimal(form["complexity_change_penalty"])),
            "margin_bands": _bands(form, "margin", lambda v: v),
            "rank_bands": _bands(form, "rank", lambda v: v / 100),
            "workday_hours": str(Decimal(form["workday_hours"])),
        }
    except (KeyError, InvalidOperation) as exc:
        raise DomainError("invalid_settings", _("Every setting must be a number.")) from exc


def _bands(form, name: str, convert) -> list[list[str]]:
    """The rows of a band table, as many as the page showed (limit_0, score_0, limit_1, …)."""
    rows, i = [], 0
    while f"{name}_limit_{i}" in form:
        rows.append(
            [str(convert(Decimal(form[f"{name}_limit_{i}"]))), str(Decimal(form[f"{name}_score_{i}"]))]
        )
        i += 1
    return rows


def _is_en() -> bool:
    from blueprints.api.orders import locale

    return locale() == "en"
