"""/api/v1/order-imports: upload a filled order sheet (XLSX) and poll its import (DESIGN §10).

No Idempotency-Key: the import itself is idempotent (rows are matched by 订单号 or 原始订单号, so the
same file sent twice changes nothing the second time), and it is a desk action, not a phone one."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.order_exchange import IMPORTERS, start_import
from domain.exchange import import_jobs

blp = Blueprint(
    "api_order_imports", __name__, url_prefix="/order-imports", description="Orders from XLSX sheets"
)


class ImportUploadIn(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class CellErrorOut(ma.Schema):
    row = ma.fields.Integer(metadata={"description": "the row number as the spreadsheet shows it"})
    column = ma.fields.String(metadata={"description": "the column header, e.g. 数量"})
    value = ma.fields.String(metadata={"description": "the cell as the file holds it"})
    message = ma.fields.String(metadata={"description": "the reason, in the uploader's language"})


class ImportJobOut(ma.Schema):
    id = ma.fields.Integer()
    filename = ma.fields.String()
    status = ma.fields.Method(
        "_status", metadata={"description": "queued checking applying done refused failed"}
    )
    finished = ma.fields.Boolean()
    stale = ma.fields.Boolean(metadata={"description": "still unfinished an hour after upload"})
    total_rows = ma.fields.Method(
        "_total_rows", allow_none=True, metadata={"description": "data rows, once known (null before)"}
    )
    rows_done = ma.fields.Method("_rows_done")
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer()
    error_count = ma.fields.Integer()
    errors = ma.fields.List(ma.fields.Nested(CellErrorOut))
    message = ma.fields.String()

    def _status(self, job) -> str:
        return job.live()["status"]

    def _rows_done(self, job) -> int:
        return job.live()["rows_done"]

    def _total_rows(self, job) -> int | None:
        return job.live()["total_rows"]


@blp.route("", methods=["POST"])
@blp.arguments(ImportUploadIn, location="files")
@blp.response(202, ImportJobOut)
@blp.alt_response(422, description="Not an .xlsx file")
@roles_required(*IMPORTERS)
def upload(files: dict):
    upload = files["file"]
    return start_import(upload.stream, upload.filename or "")


@blp.route("/<int:job_id>", methods=["GET"])
@blp.response(200, ImportJobOut)
@roles_required(*IMPORTERS)
def get(job_id: int):
    return import_jobs.get_job(job_id, current_user)
