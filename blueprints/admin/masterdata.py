"""Admin pages for the simple master data: list, create, edit, deactivate and reactivate, for every
entity in domain.masterdata_admin.ENTITIES (customers, products, prices, SKUs, workshops, teams,
locations, service points) through the same five views."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.admin.listing import ListParams
from blueprints.admin.schema_form import defaults, inputs, posted
from domain.errors import DomainError
from domain.masterdata_admin import service
from domain.masterdata_admin.entities import ENTITIES, Entity
from domain.roles import ADMIN

bp = Blueprint("admin_masterdata", __name__, url_prefix="/admin")

KIND = "<any(" + ", ".join(f'"{kind}"' for kind in ENTITIES) + "):kind>"
PER_PAGE = 25


@bp.get(f"/{KIND}/")
@roles_required(ADMIN)
def index(kind: str):
    spec = service.entity(kind)
    params = ListParams.from_request(spec.sorts)
    query = service.ListQuery(
        q=params.q,
        active=None if params.inactive else True,
        sort=params.sort,
        page=params.page,
        per_page=PER_PAGE,
    )
    sorts = [(key, label) for key, (label, _column) in spec.sorts.items()]
    return render_template(
        "admin/masterdata_list.html", spec=spec, rows=service.page(kind, query), params=params, sorts=sorts
    )


@bp.route(f"/{KIND}/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new(kind: str):
    spec = service.entity(kind)
    if request.method == "GET":
        return _form_page(spec, None, defaults(spec.schema), {})
    try:
        row = service.create(kind, posted(spec.schema, request.form), current_user)
    except DomainError as error:
        return _refused(spec, None, error)
    flash(_("%(what)s created.", what=spec.title(row)))
    return redirect(url_for(".index", kind=kind))


@bp.route(f"/{KIND}/<int:row_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(kind: str, row_id: int):
    spec = service.entity(kind)
    row = service.get(kind, row_id)
    if request.method == "GET":
        return _form_page(spec, row, service.snapshot(spec, row), {})
    try:
        service.update(kind, row_id, posted(spec.schema, request.form), current_user)
    except DomainError as error:
        return _refused(spec, row, error)
    flash(_("Saved."))
    return redirect(url_for(".edit", kind=kind, row_id=row_id))


@bp.post(f"/{KIND}/<int:row_id>/deactivate")
@roles_required(ADMIN)
def deactivate(kind: str, row_id: int):
    return _switch(kind, row_id, active=False)


@bp.post(f"/{KIND}/<int:row_id>/reactivate")
@roles_required(ADMIN)
def reactivate(kind: str, row_id: int):
    return _switch(kind, row_id, active=True)


def _switch(kind: str, row_id: int, active: bool):
    try:
        row = service.set_active(kind, row_id, active, current_user)
    except DomainError as error:
        flash(" ".join([error.message, *error.fields.values()]), "error")
    else:
        spec = service.entity(kind)
        what = spec.title(row)
        flash(_("%(what)s reactivated.", what=what) if active else _("%(what)s deactivated.", what=what))
    return redirect(url_for(".edit", kind=kind, row_id=row_id))


def _refused(spec: Entity, row, error: DomainError):
    """The form again, as posted, each problem under its input; what no input shows is flashed."""
    if set(error.fields) - set(spec.schema().fields) or not error.fields:
        flash(error.message, "error")
    return _form_page(spec, row, request.form, error.fields, status=422)


def _form_page(spec: Entity, row, values, errors, status: int = 200):
    fields = inputs(spec.schema, values, errors, service.pick_list)
    return render_template("admin/masterdata_form.html", spec=spec, row=row, inputs=fields), status
