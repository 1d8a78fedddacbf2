"""Order sheets (DESIGN §10): download the orders or the blank template as XLSX, upload a filled sheet
and follow its import (a background job the page polls)."""

from io import BytesIO

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from blueprints.access import roles_required
from blueprints.api.orders import locale
from domain import roles
from domain.errors import DomainError
from domain.exchange import import_jobs
from domain.exchange.order_export import blank_template, visible_orders, write_orders
from domain.orders import service as order_service
from domain.orders.service import ORDER_ROLES, SEE_ALL_ROLES

bp = Blueprint("order_exchange", __name__, url_prefix="/orders/excel")

IMPORTERS = (roles.SALES, roles.ADMIN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(FlaskForm):
    file = FileField(validators=[FileRequired()])


def start_import(stream, filename: str) -> import_jobs.OrderImportJob:
    """Store the upload as a job; the delivery worker runs it (domain/exchange/import_jobs.py)."""
    return import_jobs.create_job(stream, filename, current_user, locale())


@bp.get("/")
@roles_required(*ORDER_ROLES)
def index():
    jobs = import_jobs.recent_jobs(current_user)
    may_import = current_user.has_any_role(IMPORTERS)
    return render_template("orders/excel.html", form=ImportForm(), jobs=jobs, may_import=may_import)


@bp.post("/import")
@roles_required(*IMPORTERS)
def upload():
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Choose an Excel file (.xlsx)."), "error")
        return redirect(url_for(".index"))
    try:
        job = start_import(form.file.data.stream, form.file.data.filename or "")
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".index"))
    return redirect(url_for(".job", job_id=job.id))


@bp.get("/imports/<int:job_id>")
@roles_required(*IMPORTERS)
def job(job_id: int):
    found = import_jobs.get_job(job_id, current_user)
    return render_template("orders/excel_job.html", job=found, live=found.live())


@bp.get("/orders.xlsx")
@roles_required(*ORDER_ROLES)
def export() -> Response:
    """Everyone who sees every order exports every order; a salesperson, the orders they created.
    The rows stream through write_only; only the compressed file is held (a few MB per 100,000 orders)."""
    owner = None if current_user.has_any_role(SEE_ALL_ROLES) else current_user.id
    out = BytesIO()
    write_orders(out, visible_orders(owner), with_prices=roles.sees_prices(current_user))
    out.seek(0)
    name = f"orders-{order_service.plant_today():%Y%m%d}.xlsx"
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=name)


@bp.get("/template.xlsx")
@roles_required(*ORDER_ROLES)
def template() -> Response:
    return send_file(
        BytesIO(blank_template()), mimetype=XLSX, as_attachment=True, download_name="订单导入模板.xlsx"
    )
