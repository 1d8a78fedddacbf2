"""Order imports run as background jobs: the upload is stored, a thread checks and applies it, and the
page polls the job for its progress.

Progress lives in the job row at each phase change and in this process's memory row by row: while the
import holds the database's write transaction (SQLite allows one writer), writing progress rows would
wait on ourselves. With several server processes a poll that reaches another process sees the phase,
not the row count. A job whose process died stays "running"; `stale` says so after STALE_AFTER.
"""

import secrets
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from domain.clock import utcnow
from domain.errors import DomainError, NotFound
from domain.exchange import order_import
from domain.exchange.sheets import is_xlsx
from extensions import db

QUEUED, CHECKING, APPLYING, DONE, REFUSED, FAILED = (
    "queued",
    "checking",
    "applying",
    "done",
    "refused",
    "failed",
)
FINISHED = (DONE, REFUSED, FAILED)
STALE_AFTER = timedelta(hours=1)

_live: dict[int, dict[str, Any]] = {}  # job id → {"phase", "rows"} while this process runs it
_live_lock = threading.Lock()


class OrderImportJob(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    file_token: Mapped[str] = mapped_column(String(32), default="")  # the stored upload's unique name
    locale: Mapped[str] = mapped_column(String(8), default="zh_CN")
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    total_rows: Mapped[int | None]  # what the sheet says it holds (header included); may be absent
    rows_done: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # {row, column, message}
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def stale(self) -> bool:
        return not self.finished and utcnow() - self.created_at > STALE_AFTER

    def live(self) -> dict[str, Any]:
        """Phase, rows done and rows in all, from this process's memory while it runs the job."""
        with _live_lock:
            now = dict(_live.get(self.id, {}))
        return {
            "status": now.get("phase", self.status),
            "rows_done": now.get("rows", self.rows_done),
            "total_rows": self.total_rows or now.get("total"),
        }


def job_path(directory: Path, job: "OrderImportJob") -> Path:
    return directory / f"order-import-{job.id}-{job.file_token}.xlsx"


def create_job(stream: IO[bytes], filename: str, actor: Any, locale: str, directory: Path) -> OrderImportJob:
    """Store the upload and its job row (committed); the caller starts it."""
    data = stream.read()
    if not is_xlsx(data[:4]):
        raise DomainError("not_xlsx", _("Choose an Excel file (.xlsx)."), {"file": _("Not an .xlsx file.")})
    job = OrderImportJob(
        user_id=actor.id,
        filename=(filename or "orders.xlsx")[:200],
        locale=locale,
        file_token=secrets.token_hex(16),
    )
    db.session.add(job)
    db.session.flush()
    directory.mkdir(parents=True, exist_ok=True)
    job_path(directory, job).write_bytes(data)
    db.session.commit()
    return job


def start(app: Flask, job_id: int, directory: Path, today: Any) -> threading.Thread:
    thread = threading.Thread(
        target=_run, args=(app, job_id, directory, today), name=f"order-import-{job_id}", daemon=True
    )
    thread.start()
    return thread


def _run(app: Flask, job_id: int, directory: Path, today: Any) -> None:
    with app.app_context():
        job = db.session.get(OrderImportJob, job_id)
        path = job_path(directory, job)
        try:
            with force_locale(job.locale):
                run_job(job, directory, today)
        except Exception as error:  # a crash must still finish the job the page is polling
            app.logger.exception("order import %s failed", job_id)
            db.session.rollback()
            with force_locale(job.locale):
                message = _failure_message(error)
            job = db.session.get(OrderImportJob, job_id)
            job.status, job.message, job.finished_at = FAILED, message, utcnow()
            db.session.commit()
        finally:
            with _live_lock:
                _live.pop(job_id, None)
            path.unlink(missing_ok=True)
            db.session.remove()


def _failure_message(error: Exception) -> str:
    if isinstance(error, IntegrityError):  # e.g. an order number taken by someone saving at that moment
        return _("Someone saved orders at the same moment; nothing was imported. Upload the file again.")
    return _("The import stopped on an unexpected error; nothing was imported.")


def run_job(job: OrderImportJob, directory: Path, today: Any) -> OrderImportJob:
    from domain.users import User

    actor = db.session.get(User, job.user_id)
    path = job_path(directory, job)
    try:
        sheet = order_import.OrderSheet(path)
    except DomainError as error:
        return _refuse(job, error.message)
    except Exception:  # openpyxl refuses a damaged or password-protected file in many ways
        return _refuse(job, _("The file could not be read as an Excel workbook."))
    size = sheet.size_hint
    job.total_rows = max(size - 1, 0) if size else None
    _phase(job, CHECKING)

    def progress(phase: str, done: int) -> None:
        """Row by row in memory; once every row is checked their number is the total for the writing
        pass, also for sheets that did not declare it."""
        with _live_lock:
            before = _live.get(job.id, {})
            total = before.get("total") or (before.get("rows") if phase == order_import.APPLYING else None)
            _live[job.id] = {"phase": phase, "rows": done, "total": total}

    result = order_import.import_orders(sheet, actor, today, job.locale, progress, source=job.filename)
    job = db.session.get(OrderImportJob, job.id)
    job.status = DONE if result.applied else REFUSED
    job.rows_done, job.error_count = result.rows, result.error_count
    job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
    job.errors = [e.as_dict() for e in result.errors]
    if not result.applied:
        job.message = _("Nothing was imported: %(n)d problem(s) in the file.", n=result.error_count)
    job.finished_at = utcnow()
    db.session.commit()
    return job


def _refuse(job: OrderImportJob, message: str) -> OrderImportJob:
    job.status, job.message, job.finished_at = REFUSED, message[:500], utcnow()
    db.session.commit()
    return job


def _phase(job: OrderImportJob, status: str) -> None:
    job.status = status
    db.session.commit()
    with _live_lock:
        _live[job.id] = {"phase": status, "rows": 0}


def get_job(job_id: int, user: Any) -> OrderImportJob:
    """A job is seen by whoever uploaded it and by admins."""
    from domain.roles import ADMIN

    job = db.session.get(OrderImportJob, job_id)
    if job is None or (job.user_id != user.id and ADMIN not in user.roles):
        raise NotFound("import", job_id)
    return job


def recent_jobs(user: Any, limit: int = 10) -> list[OrderImportJob]:
    query = select(OrderImportJob).where(OrderImportJob.user_id == user.id)
    return list(db.session.scalars(query.order_by(OrderImportJob.id.desc()).limit(limit)))
