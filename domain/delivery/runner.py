"""Running the worker: `flask --app app delivery-worker` as its own process (systemd, see
deploy/README.md), or, for the SQLite demo, threads inside the web process (DELIVERY_WORKER=thread).
It delivers the outbox and runs the order-import jobs, each in a loop of its own, so a long import
never holds back a task card's message."""

import logging
import threading
from collections.abc import Callable

from flask import Flask

from domain.delivery import worker
from domain.exchange import import_jobs
from extensions import db

IDLE_SECONDS = 5.0  # between delivery rounds that found nothing to send
IMPORT_IDLE_SECONDS = 1.0  # between looks for an uploaded sheet: someone is watching its page
log = logging.getLogger(__name__)
Round = Callable[[], bool]  # does the work that is due; True when it found some


def deliver_round() -> bool:
    return worker.run_once() > 0


def import_round() -> bool:
    return import_jobs.run_next()


def run_forever(
    app: Flask, stop: threading.Event | None = None, idle: float = IDLE_SECONDS, work: Round = deliver_round
) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            with app.app_context():
                try:
                    busy = work()
                finally:
                    db.session.remove()
        except Exception:  # a bad round (database restarting) must not end the worker
            log.exception("worker round failed")
            busy = False
        if not busy:
            stop.wait(idle)


class Workers(threading.Event):
    """Set it to stop the worker's loops; `stop()` also waits for them to end."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[threading.Thread] = []

    def stop(self, timeout: float = 30) -> None:
        self.set()
        for thread in self.threads:
            thread.join(timeout)


LOOPS: dict[str, tuple[float, Round]] = {
    "delivery-worker": (IDLE_SECONDS, deliver_round),
    "import-worker": (IMPORT_IDLE_SECONDS, import_round),
}


def start_thread(app: Flask, loops: tuple[str, ...] = tuple(LOOPS)) -> Workers:
    """The demo's in-process worker: its loops as threads; returns the event that stops them."""
    workers = Workers()
    for name in loops:
        idle, work = LOOPS[name]
        thread = threading.Thread(target=run_forever, args=(app, workers, idle, work), name=name, daemon=True)
        thread.start()
        workers.threads.append(thread)
    return workers


def run_process(app: Flask) -> None:
    """`flask delivery-worker`: imports on a thread beside the delivery loop, until the process ends."""
    workers = start_thread(app, ("import-worker",))
    try:
        run_forever(app, workers)
    finally:
        workers.set()
