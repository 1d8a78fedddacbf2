"""Admin pages for warehouses: code, name, address, capacity, and the geofence as GeoJSON in and out."""

from flask import Blueprint, Response, flash, json, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileSize
from wtforms import BooleanField, DecimalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from blueprints.access import roles_required
from blueprints.admin.listing import ListParams
from blueprints.admin.refusals import show_on_form
from domain import warehouses
from domain.errors import DomainError
from domain.roles import ADMIN

bp = Blueprint("admin_warehouses", __name__, url_prefix="/admin/warehouses")

PER_PAGE = 25
MAX_FENCE_BYTES = 1024 * 1024  # a warehouse polygon is a few hundred bytes; a megabyte is a wrong file


class WarehouseForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    address = StringField(_l("Address"), validators=[Length(max=300)])
    capacity = DecimalField(
        _l("Capacity (units, 0 = no limit)"), default=0, places=None, validators=[InputRequired()]
    )
    active = BooleanField(_l("Active"), default=True)

    def data_input(self) -> warehouses.WarehouseInput:
        return warehouses.WarehouseInput(
            self.code.data or "",
            self.name.data or "",
            self.address.data or "",
            self.capacity.data,
            self.active.data,
        )


class FenceForm(FlaskForm):
    geojson = TextAreaField(_l("Fence as GeoJSON"))
    upload = FileField(_l("…or upload a .geojson file"), validators=[FileSize(MAX_FENCE_BYTES)])

    def source(self) -> str | bytes:
        """The uploaded file wins over the textarea: a user who picked a file meant that file."""
        if self.upload.data and getattr(self.upload.data, "filename", ""):
            return self.upload.data.read()
        return self.geojson.data or ""


@bp.get("/")
@roles_required(ADMIN)
def index():
    params = ListParams.from_request(sort_keys=())
    rows = warehouses.warehouse_page(params.q, None if params.inactive else True, params.page, PER_PAGE)
    return render_template("admin/warehouses.html", rows=rows, params=params)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    form = WarehouseForm()
    if form.validate_on_submit():
        try:
            warehouse = warehouses.create_warehouse(form.data_input(), None, current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Warehouse %(code)s created; now draw or upload its fence.", code=warehouse.code))
            return redirect(url_for(".edit", warehouse_id=warehouse.id))
    return render_template(
        "admin/warehouse_form.html", form=form, warehouse=None
    ), 422 if form.errors else 200


@bp.route("/<int:warehouse_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(warehouse_id: int):
    warehouse = warehouses.get_warehouse(warehouse_id)
    form = WarehouseForm(obj=warehouse)
    if form.validate_on_submit():
        try:
            warehouses.update_warehouse(warehouse_id, form.data_input(), current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Saved."))
            return redirect(url_for(".edit", warehouse_id=warehouse_id))
    return _edit_page(warehouse, form=form)


@bp.post("/<int:warehouse_id>/fence")
@roles_required(ADMIN)
def fence(warehouse_id: int):
    warehouse = warehouses.get_warehouse(warehouse_id)
    form = FenceForm()
    if form.validate_on_submit():
        try:
            warehouses.set_fence(warehouse_id, form.source(), current_user)
        except DomainError as error:
            show_on_form(form, error, aliases={"fence": "geojson"})
        else:
            flash(_("Fence of %(code)s saved.", code=warehouse.code))
            return redirect(url_for(".edit", warehouse_id=warehouse_id))
    return _edit_page(warehouse, fence_form=form)


@bp.post("/<int:warehouse_id>/fence/clear")
@roles_required(ADMIN)
def clear_fence(warehouse_id: int):
    warehouses.set_fence(warehouse_id, None, current_user)
    flash(_("Fence removed."))
    return redirect(url_for(".edit", warehouse_id=warehouse_id))


@bp.get("/<int:warehouse_id>/fence.geojson")
@roles_required(ADMIN)
def download_fence(warehouse_id: int):
    """The fence as a GeoJSON Feature file (opens in geojson.io, QGIS or a map app)."""
    warehouse = warehouses.get_warehouse(warehouse_id)
    if warehouse.fence is None:
        raise DomainError(
            "fence_not_set", _("Warehouse %(code)s has no fence yet.", code=warehouse.code), status=404
        )
    body = json.dumps(warehouses.fence_geojson(warehouse), ensure_ascii=False, indent=2)
    filename = f"warehouse-{warehouse.code}.geojson"
    return Response(
        body,
        mimetype="application/geo+json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _edit_page(warehouse, form: WarehouseForm | None = None, fence_form: FenceForm | None = None):
    form = form or WarehouseForm(obj=warehouse, formdata=None)
    if fence_form is None:
        fence_form = FenceForm(formdata=None)
        fence_form.geojson.data = json.dumps(warehouse.fence) if warehouse.fence else ""
    page = render_template(
        "admin/warehouse_form.html",
        form=form,
        fence_form=fence_form,
        warehouse=warehouse,
    )
    return page, 422 if form.errors or fence_form.errors else 200
