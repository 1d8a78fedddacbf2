"""Order-import jobs on the delivery worker (DESIGN §10): the upload is a job row holding the file, a
worker claims it with a lease and runs it once, a crashed worker's job is taken again, and the page's
progress is what the row says, so any server process answers the poll."""

import io
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from domain.clock import utcnow
from domain.exchange import import_jobs
from domain.exchange.import_jobs import OrderImportJob
from domain.orders.models import Order
from domain.orders.service import plant_today
from domain.users import find_user
from extensions import db
from tests.integration import order_data
from tests.integration.order_sheets import row, write_sheet


@pytest.fixture
def plant(app):
    customer = order_data.customer("C001")
    product = order_data.product("P-100")
    order_data.price(customer, product, unit_price="10")


def upload(client, auth, tmp_path, rows) -> dict:
    data = write_sheet(tmp_path / "orders.xlsx", rows).read_bytes()
    response = client.post(
        "/api/v1/order-imports",
        data={"file": (io.BytesIO(data), "orders.xlsx")},
        headers=auth.headers("sales"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.json
    return response.json


def stored(job_id: int) -> OrderImportJob:
    db.session.expire_all()  # the worker wrote in its own unit of work
    return db.session.get(OrderImportJob, job_id)


def orders() -> int:
    return db.session.scalar(select(func.count(Order.id)))


def test_an_upload_is_a_queued_job_holding_the_file_until_a_worker_runs_it(client, auth, plant, tmp_path):
    job = upload(client, auth, tmp_path, [row("PO-1"), row("PO-2")])
    assert (job["status"], job["finished"], job["rows_done"]) == ("queued", False, 0)
    saved = stored(job["id"])
    assert saved.upload[:2] == b"PK" and saved.attempts == 0 and orders() == 0  # no thread ran it

    assert import_jobs.run_next() is True
    saved = stored(job["id"])
    assert (saved.status, saved.created, saved.rows_done, saved.error_count) == ("done", 2, 2, 0)
    assert saved.upload is None and saved.lease_until is None and saved.attempts == 1
    assert orders() == 2
    answer = client.get(f"/api/v1/order-imports/{job['id']}", headers=auth.headers("sales")).json
    assert (answer["status"], answer["finished"], answer["created"]) == ("done", True, 2)
    assert import_jobs.run_next() is False  # nothing left: the job is not run again


def test_two_workers_claiming_at_once_take_the_job_once(app, client, auth, plant, tmp_path):
    job_id = upload(client, auth, tmp_path, [row("PO-1")])["id"]
    db.session.rollback()  # the test's own read must not hold SQLite's snapshot meanwhile
    claims: list[int | None] = []
    start = threading.Barrier(2)

    def worker() -> None:
        with app.app_context():
            start.wait()
            claims.append(import_jobs.claim())
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(claims, key=str) == [job_id, None]
    assert stored(job_id).attempts == 1


def test_a_job_whose_worker_died_is_taken_again_once_its_lease_runs_out(client, auth, plant, tmp_path):
    job_id = upload(client, auth, tmp_path, [row("PO-1"), row("PO-2")])["id"]
    assert import_jobs.claim() == job_id  # this worker dies here, before it ran anything
    assert import_jobs.claim() is None  # its lease holds the job against the others
    later = utcnow() + import_jobs.LEASE + timedelta(seconds=1)
    assert import_jobs.claim(later) == job_id
    import_jobs.run_claimed(job_id, plant_today())
    saved = stored(job_id)
    assert (saved.status, saved.created, saved.attempts) == ("done", 2, 2)
    assert orders() == 2


def test_a_job_that_keeps_killing_its_worker_is_given_up(client, auth, plant, tmp_path):
    job_id = upload(client, auth, tmp_path, [row("PO-1")])["id"]
    now = utcnow()
    for attempt in range(import_jobs.MAX_ATTEMPTS):
        assert import_jobs.claim(now + attempt * (import_jobs.LEASE + timedelta(seconds=1))) == job_id
    assert (
        import_jobs.claim(now + import_jobs.MAX_ATTEMPTS * (import_jobs.LEASE + timedelta(seconds=1)))
        == job_id
    )
    saved = stored(job_id)
    assert (saved.status, saved.upload) == ("failed", None)
    assert saved.message == "The import stopped on an unexpected error; nothing was imported."
    assert orders() == 0


def test_progress_is_written_to_the_job_row_while_the_worker_checks(
    client, auth, plant, tmp_path, monkeypatch
):
    monkeypatch.setattr("domain.exchange.order_import.CHUNK", 2)  # a progress report every two rows
    job_id = upload(client, auth, tmp_path, [row(f"PO-{n}") for n in range(6)])["id"]
    seen: list[tuple[str, int, int | None]] = []
    record = import_jobs._record

    def record_and_read(job: int, **values) -> None:
        record(job, **values)
        with db.engine.connect() as other:  # what a poll in another process reads
            query = text("SELECT status, rows_done, total_rows FROM order_import_job WHERE id = :id")
            seen.append(tuple(other.execute(query, {"id": job}).one()))

    monkeypatch.setattr(import_jobs, "_record", record_and_read)
    assert import_jobs.run_next() is True
    assert ("checking", 2, 6) in seen and ("checking", 6, 6) in seen
    assert ("applying", 0, 6) in seen
    if db.engine.dialect.name == "postgresql":  # SQLite's write lock is the import's meanwhile
        assert ("applying", 6, 6) in seen
    assert stored(job_id).status == "done"


def test_the_poll_answers_what_the_row_says(client, auth, plant, tmp_path):
    job_id = upload(client, auth, tmp_path, [row("PO-1")])["id"]
    db.session.rollback()
    with db.engine.begin() as other:  # a worker in another process reports its progress
        other.execute(
            text(
                "UPDATE order_import_job SET status = 'applying', rows_done = 1200, total_rows = 5000"
                " WHERE id = :id"
            ),
            {"id": job_id},
        )
    answer = client.get(f"/api/v1/order-imports/{job_id}", headers=auth.headers("sales")).json
    assert (answer["status"], answer["rows_done"], answer["total_rows"]) == ("applying", 1200, 5000)


def test_the_worker_command_runs_a_waiting_import(app, client, auth, plant, tmp_path):
    job_id = upload(client, auth, tmp_path, [row("PO-1"), row("PO-2")])["id"]
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["delivery-worker", "--once"])
    assert result.exit_code == 0, result.output
    assert result.output.split("\n")[:2] == ["sent 0", "imports run 1"]
    assert stored(job_id).status == "done" and orders() == 2


def test_a_job_left_running_by_the_old_in_process_thread_ends_as_failed(client, auth, plant):
    auth.headers("sales")  # the uploader
    old = OrderImportJob(user_id=find_user("sales").id, filename="old.xlsx", status="checking", locale="en")
    db.session.add(old)  # as the upgrade finds it: no file in the row, no lease
    db.session.commit()
    assert import_jobs.run_next() is True
    saved = stored(old.id)
    assert (saved.status, saved.message) == ("failed", "The uploaded file is gone; upload it again.")
