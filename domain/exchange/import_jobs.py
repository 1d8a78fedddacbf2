"""Order imports run as background jobs: the upload is stored in its job row, the delivery worker
(`flask delivery-worker`, or its thread in the demo) claims the job and checks and applies it, and the
page polls the row for its progress.

Claims follow the outbox's rules (domain/delivery/worker.py): a job is taken in one short transaction
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, SQLite's one write lock) with a lease, so two workers never
run one job; a job whose worker died is taken again once its lease has run out, at most MAX_ATTEMPTS
times. Importing a file twice changes nothing, so a job re-run after a crash imports what it would have.

Progress goes to the row through a connection of its own, so any server process can answer a poll.
While the import holds SQLite's one write lock the row cannot be written (that would wait on
ourselves): the page shows the writing phase without a row count until it ends. PostgreSQL counts on.
"""

import logging
from datetime import datetime, timedelta
from io import BytesIO
from typing import IO, Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, deferred, mapped_column

from domain.clock import utcnow
from domain.errors import DomainError, NotFound
from domain.exchange import order_import
from domain.exchange.sheets import is_xlsx
from domain.transactions import in_write_transaction, write_transaction
from extensions import db

QUEUED, CHECKING, APPLYING, DONE, REFUSED, FAILED = (
    "queued",
    "checking",
    "applying",
    "done",
    "refused",
    "failed",
)
RUNNING = (CHECKING, APPLYING)
FINISHED = (DONE, REFUSED, FAILED)
STALE_AFTER = timedelta(hours=1)
LEASE = timedelta(minutes=10)  # renewed by every progress write; longer than a 100,000-row write pass
MAX_ATTEMPTS = 3  # a file that kills its worker every time must not take every worker down with it
log = logging.getLogger(__name__)


class OrderImportJob(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    file_token: Mapped[str] = mapped_column(String(32), default="")  # uploads before the job held them
    upload: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # the file, until the job ends
    locale: Mapped[str] = mapped_column(String(8), default="zh_CN")
    status: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None]  # a worker runs it until then; past it, another may
    total_rows: Mapped[int | None]  # what the sheet says it holds (header excluded); may be absent
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
        """Phase, rows done and rows in all, as the worker last wrote them."""
        return {"status": self.status, "rows_done": self.rows_done, "total_rows": self.total_rows}


def create_job(stream: IO[bytes], filename: str, actor: Any, locale: str) -> OrderImportJob:
    """Store the upload in its job row (committed); a worker takes it from there."""
    data = stream.read()
    if not is_xlsx(data[:4]):
        raise DomainError("not_xlsx", _("Choose an Excel file (.xlsx)."), {"file": _("Not an .xlsx file.")})
    name = (filename or "orders.xlsx")[:200]
    job = OrderImportJob(user_id=actor.id, filename=name, locale=locale, upload=data)
    db.session.add(job)
    db.session.commit()
    return job


def _due(now: datetime) -> Any:
    lease_over = or_(OrderImportJob.lease_until.is_(None), OrderImportJob.lease_until < now)
    return or_(OrderImportJob.status == QUEUED, and_(OrderImportJob.status.in_(RUNNING), lease_over))


def claim(now: datetime | None = None) -> int | None:
    """Take the oldest due job for this worker: its id, or None when nothing is due."""
    now = now or utcnow()
    query = (
        select(OrderImportJob)
        .where(_due(now))
        .order_by(OrderImportJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)  # two workers on PostgreSQL take different jobs
    )
    db.session.rollback()  # end any read: the claim is a unit of work of its own
    with write_transaction():
        job = db.session.scalars(query).first()
        if job is None:
            return None
        job.status, job.lease_until, job.attempts = CHECKING, now + LEASE, job.attempts + 1
        if job.attempts > MAX_ATTEMPTS:
            with force_locale(job.locale):
                message = _("The import stopped on an unexpected error; nothing was imported.")
            _close(job, FAILED, message)
        return job.id


def run_next(today: Any = None) -> bool:
    """Claim and run the oldest due job; False when there was none."""
    from domain.orders.service import plant_today

    job_id = claim()
    if job_id is None:
        return False
    run_claimed(job_id, today or plant_today())
    return True


def run_claimed(job_id: int, today: Any) -> None:
    job = db.session.get(OrderImportJob, job_id)
    if job.finished:  # given up in its claim
        return
    locale = job.locale
    try:
        with force_locale(locale):
            run_job(job, today)
    except Exception as error:  # a crash must still finish the job the page is polling
        log.exception("order import %s failed", job_id)
        db.session.rollback()
        with force_locale(locale):
            _finish(job_id, FAILED, message=_failure_message(error))


def _failure_message(error: Exception) -> str:
    if isinstance(error, IntegrityError):  # e.g. an order number taken by someone saving at that moment
        return _("Someone saved orders at the same moment; nothing was imported. Upload the file again.")
    return _("The import stopped on an unexpected error; nothing was imported.")


def run_job(job: OrderImportJob, today: Any) -> None:
    from domain.users import User

    job_id, filename, locale = job.id, job.filename, job.locale
    actor = db.session.get(User, job.user_id)
    data = job.upload
    if data is None:  # uploaded before the job row held the file, and gone with that version
        return _finish(job_id, FAILED, message=_("The uploaded file is gone; upload it again."))
    try:
        sheet = order_import.OrderSheet(BytesIO(data))
    except DomainError as error:
        return _finish(job_id, REFUSED, message=error.message)
    except Exception:  # openpyxl refuses a damaged or password-protected file in many ways
        return _finish(job_id, REFUSED, message=_("The file could not be read as an Excel workbook."))
    del data
    size = sheet.size_hint
    db.session.rollback()  # end the reads: the import starts its units of work afresh
    _record(job_id, status=CHECKING, rows_done=0, total_rows=max(size - 1, 0) if size else None)
    result = order_import.import_orders(sheet, actor, today, locale, _progress(job_id), source=filename)
    db.session.rollback()
    values = {"rows_done": result.rows, "error_count": result.error_count, "created": result.created}
    values |= {"updated": result.updated, "unchanged": result.unchanged}
    values["errors"] = [e.as_dict() for e in result.errors]
    if not result.applied:
        message = _("Nothing was imported: %(n)d problem(s) in the file.", n=result.error_count)
        return _finish(job_id, REFUSED, message=message, **values)
    return _finish(job_id, DONE, **values)


def _progress(job_id: int) -> order_import.Progress:
    checked = 0

    def progress(phase: str, done: int) -> None:
        nonlocal checked
        if phase == order_import.CHECKING:
            checked = done
            _record(job_id, status=phase, rows_done=done)
        elif done == 0:  # every row checked: their number is the writing pass's total if none was declared
            _record(
                job_id,
                status=phase,
                rows_done=0,
                total_rows=func.coalesce(OrderImportJob.total_rows, checked),
            )
        else:
            _record(job_id, status=phase, rows_done=done)

    return progress


def _record(job_id: int, **values: Any) -> None:
    """Write progress on a connection of its own (the import's session keeps its snapshot); it also
    renews the lease, since a job that reports progress is alive."""
    if in_write_transaction() and db.engine.dialect.name == "sqlite":
        return  # the import holds SQLite's one write lock: this write would wait for ourselves
    statement = update(OrderImportJob).where(OrderImportJob.id == job_id, OrderImportJob.status.in_(RUNNING))
    with db.engine.begin() as connection:
        connection.execute(statement.values(lease_until=utcnow() + LEASE, **values))


def _finish(job_id: int, status: str, **values: Any) -> None:
    db.session.rollback()
    with write_transaction():
        job = db.session.get(OrderImportJob, job_id)
        for name, value in values.items():
            setattr(job, name, value)
        _close(job, status, values.get("message", job.message))


def _close(job: OrderImportJob, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, message[:500], utcnow()
    job.lease_until, job.upload = None, None  # the file is not kept once the job has ended


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
