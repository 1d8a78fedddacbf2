"""Running the outbox worker: `flask --app app delivery-worker` as its own process (systemd, see
deploy/README.md), or, for the SQLite demo, a thread inside the web process (DELIVERY_WORKER=thread)."""

import logging
import threading

from flask import Flask

from domain.delivery import worker
from extensions import db

IDLE_SECONDS = 5.0  # between rounds that found nothing to send
log = logging.getLogger(__name__)


def run_forever(app: Flask, stop: threading.Event | None = None, idle: float = IDLE_SECONDS) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            with app.app_context():
                try:
                    busy = worker.run_once() > 0
                finally:
                    db.session.remove()
        except Exception:  # a bad round (database restarting) must not end the worker
            log.exception("delivery round failed")
            busy = False
        if not busy:
            stop.wait(idle)


def start_thread(app: Flask) -> threading.Event:
    """The demo's in-process worker; returns the event that stops it."""
    stop = threading.Event()
    threading.Thread(target=run_forever, args=(app, stop), name="delivery-worker", daemon=True).start()
    return stop
