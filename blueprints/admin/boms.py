"""Admin pages for BOM versions: pick a product, edit a draft's lines, activate, copy to a new version."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from blueprints.access import roles_required
from blueprints.admin.listing import ListParams
from blueprints.admin.refusals import show_on_form
from domain import boms
from domain.errors import DomainError
from domain.masterdata import BomVersion, Product
from domain.product_picker import product_page
from domain.roles import ADMIN
from extensions import db

bp = Blueprint("admin_boms", __name__, url_prefix="/admin/boms")

PER_PAGE = 25


class LineForm(FlaskForm):
    sku_code = StringField(_l("SKU code"), validators=[DataRequired(), Length(max=64)])
    qty_per = StringField(_l("Quantity per unit"), validators=[DataRequired()])
    scrap_pct = StringField(_l("Scrap allowance %"), default="0")

    def line(self) -> boms.LineInput:
        return boms.LineInput(self.sku_code.data.strip(), self.qty_per.data, self.scrap_pct.data or "0")


class LineEditForm(FlaskForm):
    qty_per = StringField(_l("Quantity per unit"), validators=[DataRequired()])
    scrap_pct = StringField(_l("Scrap allowance %"), default="0")


@bp.get("/")
@roles_required(ADMIN)
def index():
    params = ListParams.from_request(sort_keys=())
    rows = product_page(params.q, None if params.inactive else True, params.page, PER_PAGE)
    summary = boms.bom_summary([p.id for p in rows.items])
    return render_template("admin/boms.html", rows=rows, summary=summary, params=params)


@bp.get("/product/<int:product_id>")
@roles_required(ADMIN)
def product(product_id: int):
    found = db.get_or_404(Product, product_id)
    return render_template("admin/bom_versions.html", product=found, versions=boms.versions_of(product_id))


@bp.post("/product/<int:product_id>/new")
@roles_required(ADMIN)
def new_version(product_id: int):
    version = boms.create_version(product_id, [], current_user)
    flash(_("Draft version %(n)s created; add its lines.", n=version.version))
    return redirect(url_for(".version", version_id=version.id))


@bp.get("/<int:version_id>")
@roles_required(ADMIN)
def version(version_id: int):
    return _version_page(boms.get_version(version_id))


@bp.post("/<int:version_id>/lines")
@roles_required(ADMIN)
def add_line(version_id: int):
    form = LineForm()
    if form.validate_on_submit():
        try:
            boms.add_line(version_id, form.line(), current_user)
        except DomainError as error:
            show_on_form(form, error, aliases={"sku_id": "sku_code"})
        else:
            return redirect(url_for(".version", version_id=version_id) + "#add-line")
    return _version_page(boms.get_version(version_id), add_form=form)


@bp.post("/<int:version_id>/lines/<int:line_id>")
@roles_required(ADMIN)
def update_line(version_id: int, line_id: int):
    form = LineEditForm()
    if form.validate_on_submit():
        try:
            boms.update_line(version_id, line_id, form.qty_per.data, form.scrap_pct.data or "0", current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Line saved."))
            return redirect(url_for(".version", version_id=version_id))
    return _version_page(boms.get_version(version_id), line_forms={line_id: form})


@bp.post("/<int:version_id>/lines/<int:line_id>/remove")
@roles_required(ADMIN)
def remove_line(version_id: int, line_id: int):
    return _act(version_id, lambda: boms.remove_line(version_id, line_id, current_user), _("Line removed."))


@bp.post("/<int:version_id>/activate")
@roles_required(ADMIN)
def activate(version_id: int):
    done = _("Version activated; the previously active version is retired.")
    return _act(version_id, lambda: boms.activate(version_id, current_user), done)


@bp.post("/<int:version_id>/copy")
@roles_required(ADMIN)
def copy(version_id: int):
    created = boms.copy_version(version_id, current_user)
    flash(_("Draft version %(n)s created from this one.", n=created.version))
    return redirect(url_for(".version", version_id=created.id))


@bp.post("/<int:version_id>/delete")
@roles_required(ADMIN)
def delete(version_id: int):
    try:
        product_id = boms.delete_draft(version_id, current_user)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".version", version_id=version_id))
    flash(_("Draft deleted."))
    return redirect(url_for(".product", product_id=product_id))


def _act(version_id: int, change, done: str):
    """A one-button change: run it, say what happened or why not, back to the version."""
    try:
        change()
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(done)
    return redirect(url_for(".version", version_id=version_id))


def _version_page(version: BomVersion, add_form: LineForm | None = None, line_forms: dict | None = None):
    line_forms = line_forms or {}
    for line in version.lines:
        if line.id not in line_forms:
            line_forms[line.id] = LineEditForm(
                formdata=None, qty_per=_num(line.qty_per), scrap_pct=_num(line.scrap_pct)
            )
    failed = (add_form is not None and add_form.errors) or any(f.errors for f in line_forms.values())
    page = render_template(
        "admin/bom_version.html",
        version=version,
        editable=version.status == boms.DRAFT and not version.locked,
        add_form=add_form or LineForm(formdata=None),
        line_forms=line_forms,
        amounts={line.id: (_num(line.qty_per), _num(line.scrap_pct)) for line in version.lines},
        sku_codes=boms.sku_suggestions(),
    )
    return page, 422 if failed else 200


def _num(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""
