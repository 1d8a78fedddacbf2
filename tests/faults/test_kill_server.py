"""kill -9 of the app server in the middle of a load of stock moves and transfers, then a restart:
every acknowledged (2xx) move is in the ledger, every request the phones retried with their
Idempotency-Key applied exactly once, and `flask stock-check` is clean. SQLite and PostgreSQL."""

import http.client
import json
import random
import subprocess
import threading
import time
import uuid
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.stock.ledger import StockMove
from domain.stock.transfers import Transfer
from extensions import db
from tests.deploy.cluster import ROOT, AppProcess, app_env, free_port
from tests.integration.stock_world import SKU, YARD_A, YARD_B, build_world, gps, label
from tests.integration.test_stock_concurrency import tokens

pytestmark = pytest.mark.slow
PHONES = 16
LOAD_SECONDS = 7.0
KILL_AFTER = 2.5
REFUSALS = {"insufficient_stock", "target_capacity_exceeded", "transfer_paused_in_transit"}


class Phone:
    """A phone with an outbox: a request that got no answer is sent again with the same key, as the
    PWA's outbox does, until the server answers it."""

    def __init__(self, port: int, token: str, tally: "Tally"):
        self.port, self.token, self.tally = port, token, tally
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        key = uuid.uuid4().hex
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.conn.request("POST", path, json.dumps(body), {**headers, "Idempotency-Key": key})
                response = self.conn.getresponse()
                status, answer = response.status, json.loads(response.read())
            except (OSError, http.client.HTTPException):
                self.tally.add("retries")
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                time.sleep(0.1)
                continue
            self.tally.add("requests")
            if status == 409 and answer["error"]["code"] == "idempotency_in_progress":
                time.sleep(0.05)
                continue
            return status, answer
        raise AssertionError(f"{path}: no answer for a minute")


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.moves: dict[int, Decimal] = {}  # acknowledged move id → signed qty
        self.transfers: dict[int, str] = {}  # acknowledged transfer id → last acknowledged state

    def add(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[what] += n


def refused(status: int, body: dict) -> bool:
    assert status < 500, body  # a restart is never a server error for the request that is retried
    if status >= 300:
        assert status in (409, 422) and body["error"]["code"] in REFUSALS | {"transfer_state_conflict"}, body
        return True
    return False


def test_kill_9_during_load_loses_no_acknowledged_move(app, tmp_path):
    world = build_world(stock_a="100000", capacity_b="100000")
    labels = {"A": label(world.loc_a), "B": label(world.loc_b)}
    keys = tokens(PHONES)
    server = AppProcess(
        free_port(), app_env(app.config["SQLALCHEMY_DATABASE_URI"], None), tmp_path / "app.log"
    )
    server.env["SECRET_KEY"] = app.config["SECRET_KEY"]  # the labels are signed with the app's key
    tally, stop = Tally(), threading.Event()

    def move(phone: Phone, rng: random.Random) -> None:
        kind = rng.choice(["receipt", "issue"])
        body = {"kind": kind, "sku": SKU, "qty": "1", "location_label": labels["A"], "gps": gps(YARD_A)}
        status, answer = phone.post("/api/v1/stock/moves", body)
        if not refused(status, answer):
            with tally.lock:
                tally.moves[answer["id"]] = Decimal(answer["qty"])

    def transfer(phone: Phone, rng: random.Random) -> None:
        body = {"order_ref": world.order, "sku": SKU, "qty": str(rng.randint(1, 5))}
        status, made = phone.post(
            "/api/v1/transfers", {**body, "from_warehouse": "WH-A", "to_warehouse": "WH-B"}
        )
        if refused(status, made):
            return
        steps = [
            ("pick", {"location_label": labels["A"], "gps": gps(YARD_A)}),
            ("dispatch", {}),
            ("receive", {"location_label": labels["B"], "gps": gps(YARD_B)}),
        ]
        for step, step_body in steps:
            status, answer = phone.post(f"/api/v1/transfers/{made['id']}/{step}", step_body)
            if refused(status, answer):
                return
            with tally.lock:
                tally.transfers[made["id"]] = answer["state"]

    def work(n: int) -> None:
        rng, phone = random.Random(n), Phone(server.port, keys[n], tally)
        while not stop.is_set():
            (move if rng.random() < 0.7 else transfer)(phone, rng)

    server.start()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(PHONES)]
    try:
        for t in threads:
            t.start()
        time.sleep(KILL_AFTER)
        before = tally.counts["requests"]
        server.kill9()
        tally.add("faults")
        server.start()
        time.sleep(LOAD_SECONDS - KILL_AFTER)
        stop.set()
        for t in threads:
            t.join(timeout=120)
    finally:
        stop.set()
        server.stop()
    db.session.remove()

    check = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "app", "stock-check"],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    ledger = dict(
        db.session.execute(select(StockMove.id, StockMove.qty).where(StockMove.id.in_(tally.moves))).all()
    )
    assert ledger == tally.moves  # every acknowledged move is there, as acknowledged
    unlinked = db.session.execute(
        select(func.count()).select_from(StockMove).where(StockMove.transfer_id.is_(None))
    ).scalar_one()
    assert unlinked == len(tally.moves) + 1  # + the opening stock: no retried move applied twice
    states = dict(
        db.session.execute(select(Transfer.id, Transfer.state).where(Transfer.id.in_(tally.transfers))).all()
    )
    order = ["requested", "picked", "in_transit", "received"]
    for tid, acknowledged in tally.transfers.items():
        assert order.index(states[tid]) >= order.index(acknowledged), (tid, acknowledged, states[tid])
    print(
        f"\nkill -9 ({db.engine.dialect.name}): {tally.counts['requests']} requests answered "
        f"({before} before the kill), {tally.counts['retries']} resends after no answer, "
        f"{tally.counts['faults']} fault injected; rows checked: {len(tally.moves)} acknowledged moves, "
        f"{len(tally.transfers)} transfers, {unlinked} ledger rows; {check.stdout.strip()}"
    )
    assert tally.counts["requests"] > before > 0
