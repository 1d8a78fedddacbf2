"""Admin pages for routings: a product's operations in order, each in an active workshop."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from blueprints.access import roles_required
from blueprints.admin.listing import ListParams
from blueprints.admin.refusals import show_on_form
from domain import routings
from domain.errors import DomainError
from domain.masterdata import Product, RoutingStep
from domain.product_picker import product_page
from domain.roles import ADMIN

bp = Blueprint("admin_routings", __name__, url_prefix="/admin/routings")

PER_PAGE = 25


class StepForm(FlaskForm):
    name = StringField(_l("Operation"), validators=[DataRequired(), Length(max=100)])
    workshop_id = SelectField(_l("Workshop"), coerce=int)
    setup_minutes = StringField(_l("Setup (minutes)"), default="0")
    seconds_per_unit = StringField(_l("Seconds per unit"), default="0")
    transfer_minutes = StringField(_l("Transfer after the step before (minutes)"), default="0")
    min_tonnage = StringField(_l("Press of at least (t)"), default="")

    def fill_workshops(self) -> None:
        self.workshop_id.choices = [
            SelectChoice(w.id, f"{w.code} · {w.name}") for w in routings.active_workshops()
        ]

    def step(self) -> routings.StepInput:
        return routings.StepInput(
            self.name.data or "",
            self.workshop_id.data,
            self.setup_minutes.data,
            self.seconds_per_unit.data,
            self.transfer_minutes.data or "0",
            (self.min_tonnage.data or "").strip() or None,
        )


@bp.get("/")
@roles_required(ADMIN)
def index():
    params = ListParams.from_request(sort_keys=())
    rows = product_page(params.q, None if params.inactive else True, params.page, PER_PAGE)
    counts = routings.step_counts([p.id for p in rows.items])
    return render_template("admin/routings.html", rows=rows, counts=counts, params=params)


@bp.get("/<int:product_id>")
@roles_required(ADMIN)
def product(product_id: int):
    return _routing_page(routings.routing_of(product_id))


@bp.post("/<int:product_id>/steps")
@roles_required(ADMIN)
def add_step(product_id: int):
    form = StepForm()
    form.fill_workshops()
    if form.validate_on_submit():
        try:
            routings.add_step(product_id, form.step(), current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Step added."))
            return redirect(url_for(".product", product_id=product_id))
    return _routing_page(routings.routing_of(product_id), add_form=form)


@bp.post("/<int:product_id>/steps/<int:step_id>")
@roles_required(ADMIN)
def update_step(product_id: int, step_id: int):
    form = StepForm()
    form.fill_workshops()
    if form.validate_on_submit():
        try:
            routings.update_step(product_id, step_id, form.step(), current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Step saved."))
            return redirect(url_for(".product", product_id=product_id))
    return _routing_page(routings.routing_of(product_id), step_forms={step_id: form})


@bp.post("/<int:product_id>/steps/<int:step_id>/remove")
@roles_required(ADMIN)
def remove_step(product_id: int, step_id: int):
    return _act(
        product_id, lambda: routings.remove_step(product_id, step_id, current_user), _("Step removed.")
    )


@bp.post("/<int:product_id>/steps/<int:step_id>/up")
@roles_required(ADMIN)
def move_up(product_id: int, step_id: int):
    return _act(product_id, lambda: routings.move_step(product_id, step_id, -1, current_user), None)


@bp.post("/<int:product_id>/steps/<int:step_id>/down")
@roles_required(ADMIN)
def move_down(product_id: int, step_id: int):
    return _act(product_id, lambda: routings.move_step(product_id, step_id, +1, current_user), None)


def _act(product_id: int, change, done: str | None):
    """A one-button change: run it, say what happened or why not, back to the routing."""
    try:
        change()
    except DomainError as error:
        flash(error.message, "error")
    else:
        if done:
            flash(done)
    return redirect(url_for(".product", product_id=product_id))


def _routing_page(product: Product, add_form: StepForm | None = None, step_forms: dict | None = None):
    step_forms = step_forms or {}
    for step in product.routing:
        if step.id not in step_forms:
            step_forms[step.id] = _form_for(step)
    add_form = add_form or StepForm(formdata=None)
    if not add_form.workshop_id.choices:
        add_form.fill_workshops()
    failed = bool(add_form.errors) or any(f.errors for f in step_forms.values())
    page = render_template("admin/routing.html", product=product, add_form=add_form, step_forms=step_forms)
    return page, 422 if failed else 200


def _form_for(step: RoutingStep) -> StepForm:
    form = StepForm(
        formdata=None,
        name=step.name,
        workshop_id=step.workshop_id,
        setup_minutes=str(step.setup_minutes),
        seconds_per_unit=format(step.seconds_per_unit.normalize(), "f"),
        transfer_minutes=str(step.transfer_minutes or 0),
        min_tonnage="" if step.min_tonnage is None else str(step.min_tonnage),
    )
    form.fill_workshops()
    if step.workshop_id not in {choice.value for choice in form.workshop_id.choices}:
        # Show the step's workshop even when it was closed since; saving then asks for an active one.
        form.workshop_id.choices.append(
            SelectChoice(step.workshop_id, _("%(code)s (inactive)", code=step.workshop.code))
        )
    return form
