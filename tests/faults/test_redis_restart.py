"""Redis (the Socket.IO queue between app processes) stopped and restarted while task cards are being
created: no card is lost. Cards committed while Redis is down are acknowledged to the planner, reach
the leader's phone when it re-syncs (subscribe with the last seq it saw, as the PWA does after any
gap), and live delivery across processes resumes once Redis is back, without restarting the app.

Runs a Redis server of its own on a temporary port, so the machine's shared Redis is never touched."""

import queue
import shutil
import subprocess
import time
import uuid
from contextlib import ExitStack

import pytest

from domain.users import issue_token
from extensions import db
from tests.deploy.cluster import free_port, wait_for_port
from tests.integration.gunicorn_server import gunicorn
from tests.integration.production_data import Plant
from tests.integration.test_task_cards_redis import convert, leader_phone

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="no redis-server"),
]
CARDS_BEFORE, CARDS_DURING, CARDS_AFTER = 2, 3, 2


class OwnRedis:
    def __init__(self, tmp_path) -> None:
        self.port, self.dir, self.process = free_port(), tmp_path, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process, 10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def test_no_card_is_lost_when_redis_restarts_during_delivery(app, tmp_path):
    plant = Plant()
    orders = [plant.confirmed_order() for _ in range(CARDS_BEFORE + CARDS_DURING + CARDS_AFTER)]
    planner, leader = issue_token(plant.planner, 1), issue_token(plant.leader, 1)
    db.session.commit()
    redis = OwnRedis(tmp_path)
    redis.start()
    shared = {"REDIS_URL": redis.url, "SOCKETIO_CHANNEL": f"oh-fault-{uuid.uuid4().hex}"}
    live: list[dict] = []
    statuses: list[int] = []
    try:
        with ExitStack() as servers:
            port_a = servers.enter_context(gunicorn(app.config, tmp_path / "a.log", **shared))
            port_b = servers.enter_context(gunicorn(app.config, tmp_path / "b.log", **shared))
            sio, cards = leader_phone(port_b, leader)
            try:
                for order in orders[:CARDS_BEFORE]:
                    convert(port_a, planner, order.id)
                    live.append(cards.get(timeout=10))
                redis.stop()
                for order in orders[CARDS_BEFORE : CARDS_BEFORE + CARDS_DURING]:
                    convert(port_a, planner, order.id)  # asserts 201: committed and acknowledged
                    statuses.append(201)
                redis.start()
                time.sleep(3)  # the processes' Redis listeners reconnect with back-off
                for order in orders[CARDS_BEFORE + CARDS_DURING :]:
                    convert(port_a, planner, order.id)
                    live.append(cards.get(timeout=20))  # live across processes again
                while True:
                    try:
                        live.append(cards.get(timeout=1))
                    except queue.Empty:
                        break
                last_seq = max(c["seq"] for c in live[:CARDS_BEFORE])
                resync = sio.call(
                    "task_cards_subscribe", {"after": {str(plant.team.id): last_seq}}, timeout=10
                )
            finally:
                sio.disconnect()
    finally:
        redis.stop()
    assert resync["ok"], resync
    seen = {c["seq"] for c in live} | {c["seq"] for c in resync["cards"]}
    expected = set(range(1, len(orders) + 1))
    assert seen == expected, f"lost cards: {sorted(expected - seen)}"
    missed_live = expected - {c["seq"] for c in live}
    print(
        f"\nRedis restart during delivery: {len(orders)} cards created ({CARDS_DURING} while Redis was down, "
        f"all acknowledged {statuses}), {len(live)} delivered live, {len(missed_live)} recovered by the "
        f"re-sync {sorted(missed_live)}, 1 fault injected, 0 lost"
    )
