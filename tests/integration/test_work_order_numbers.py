"""Work order numbers under concurrent clicks (DESIGN §4): 20 conversions fired at once at a real
server give 20 distinct, consecutive WO-YYYYMMDD-NNNN numbers, on SQLite and on PostgreSQL."""

import http.client
import json
import threading
import uuid

import pytest
from sqlalchemy import select

from domain.orders.service import plant_today
from domain.production.models import TaskCard, WorkOrder
from domain.users import issue_token
from extensions import db
from tests.integration.gunicorn_server import gunicorn
from tests.integration.production_data import Plant

pytestmark = pytest.mark.slow
CLICKS = 20


def fire_at_once(port: int, token: str, order_ids: list[int]) -> list[tuple[int, dict]]:
    """One thread per order, each with its own connection, released together by a barrier."""
    start = threading.Barrier(len(order_ids))
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def click(order_id: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.connect()
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        start.wait()
        conn.request("POST", f"/api/v1/orders/{order_id}/convert", "{}", headers)
        response = conn.getresponse()
        with lock:
            results.append((response.status, json.loads(response.read())))
        conn.close()

    threads = [threading.Thread(target=click, args=(order_id,)) for order_id in order_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_twenty_concurrent_conversions_get_consecutive_numbers(app, tmp_path):
    plant = Plant()
    order_ids = [plant.confirmed_order(quantity=100).id for _ in range(CLICKS)]
    token = issue_token(plant.planner, 1)
    db.session.commit()
    with gunicorn(app.config, tmp_path / "gunicorn.log") as port:
        results = fire_at_once(port, token, order_ids)
    db.session.remove()
    assert [status for status, _ in results] == [201] * CLICKS, results
    prefix = f"WO-{plant_today():%Y%m%d}-"
    numbers = sorted(body["number"] for _, body in results)
    assert numbers == [f"{prefix}{n:04d}" for n in range(1, CLICKS + 1)]
    stored = db.session.execute(select(WorkOrder.number).order_by(WorkOrder.number)).scalars().all()
    assert stored == numbers
    seqs = db.session.execute(select(TaskCard.seq).order_by(TaskCard.seq)).scalars().all()
    assert seqs == list(range(1, CLICKS + 1))
