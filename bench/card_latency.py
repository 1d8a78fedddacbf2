"""Bench: commit-to-card latency of task cards with 200 team leaders connected (DESIGN §4).

    .venv/bin/python -m bench.card_latency [--leaders 200] [--cards 200] [--burst 8]
                                           [--postgres | --database-url URL] [--redis URL]

Seeds a fresh database (a temporary SQLite file; --postgres: a temporary database on 127.0.0.1:5432)
with one team and one leader per connection, a planner and enough confirmed orders; starts gunicorn
with the project's gunicorn.conf.py (gthread, 1 worker, THREADS = leaders + 50, since every open
websocket holds a thread) and connects every leader with python-socketio's client over a websocket,
each subscribed to its team. Then it converts orders through POST /api/v1/orders/<id>/convert, each to
another team, first one at a time and then --burst at once, and times, for every card:

- commit → card: the leader's receipt minus `pushed_at`, the server's clock right after the commit
  when the card is handed to Socket.IO (client and server share the machine's clock);
- click → card: the leader's receipt minus the moment the planner's request was sent.

With --redis the card goes through the Redis message queue (the multi-process setup). Prints a JSON
summary and the Markdown row for bench/README.md.
"""

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed(database_url: str, leaders: int, orders: int) -> dict:
    from decimal import Decimal

    from app import create_app
    from domain.masterdata import Team
    from domain.users import User, issue_token
    from extensions import db
    from tests.integration import order_data as data

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
    with app.app_context():
        db.create_all()
        product = data.product("BENCH-1", workshop_code="WB")
        workshop = data.workshop("WB")
        users = [User(username=f"lead{n:03d}", password_hash="-") for n in range(leaders)]
        planner = User(username="planner", password_hash="-")
        for user in users:
            user.set_roles(["leader"])
        planner.set_roles(["planner"])
        db.session.add_all([*users, planner])
        db.session.flush()
        teams = [
            Team(code=f"T{n:03d}", name=f"班组 {n}", workshop_id=workshop.id, leader_id=u.id)
            for n, u in enumerate(users)
        ]
        db.session.add_all(teams)
        db.session.commit()
        customer = data.customer("CB1")
        order_ids = []
        for n in range(orders):
            order = data.order_in_stage(
                customer, product, "confirmed", number=f"SO-B-{n:05d}", quantity=Decimal(100)
            )
            order_ids.append(order.id)
        world = {
            "leader_tokens": [issue_token(u, 2) for u in users],
            "team_ids": [t.id for t in teams],
            "planner_token": issue_token(planner, 2),
            "order_ids": order_ids,
        }
        db.session.commit()
        db.engine.dispose()
    return world


@contextmanager
def gunicorn(database_url: str, threads: int, redis_url: str | None):
    from tests.integration.gunicorn_server import free_port

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret",
        "BIND": f"127.0.0.1:{port}",
    }
    env["THREADS"] = str(threads)
    env.pop("REDIS_URL", None)
    if redis_url:
        env.update(REDIS_URL=redis_url, SOCKETIO_CHANNEL=f"oh-bench-{uuid.uuid4().hex}")
    log = open(tempfile.mktemp(suffix=".log"), "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/login")
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start, see {log.name}") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


class Leaders:
    """Every leader's phone: a socketio client subscribed to its team; receipts by work order number."""

    def __init__(self, port: int, tokens: list[str]):
        import socketio

        self.received: dict[str, tuple[float, dict]] = {}
        self.arrived = threading.Condition()
        self.clients = []
        for token in tokens:
            client = socketio.Client(reconnection=False)
            client.on("task_card", self._on_card)
            client.connect(
                f"http://127.0.0.1:{port}",
                headers={"Authorization": f"Bearer {token}"},
                transports=["websocket"],
                wait_timeout=30,
            )
            answer = client.call("task_cards_subscribe", {"after": {}}, timeout=30)
            assert answer["ok"] and len(answer["teams"]) == 1, answer
            self.clients.append(client)

    def _on_card(self, card: dict) -> None:
        now = time.time()
        with self.arrived:
            self.received[card["work_order"]["number"]] = (now, card)
            self.arrived.notify_all()

    def wait_for(self, number: str, timeout: float = 30) -> tuple[float, dict]:
        with self.arrived:
            if not self.arrived.wait_for(lambda: number in self.received, timeout):
                raise TimeoutError(f"card of {number} never arrived")
            return self.received[number]

    def close(self) -> None:
        for client in self.clients:
            client.disconnect()


def convert(port: int, token: str, order_id: int, team_id: int) -> tuple[float, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": uuid.uuid4().hex,
    }
    sent = time.time()
    conn.request("POST", f"/api/v1/orders/{order_id}/convert", json.dumps({"team_id": team_id}), headers)
    response = conn.getresponse()
    body = json.loads(response.read())
    if response.status != 201:
        raise RuntimeError(body)
    return sent, body["number"]


def timed(port: int, world: dict, leaders: Leaders, n: int) -> tuple[float, float]:
    team = n % len(world["team_ids"])
    sent, number = convert(port, world["planner_token"], world["order_ids"][n], world["team_ids"][team])
    received, card = leaders.wait_for(number)
    assert card["team_id"] == world["team_ids"][team]
    return (received - card["pushed_at"]) * 1000, (received - sent) * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(pairs: list[tuple[float, float]]) -> dict:
    commit, click = [p[0] for p in pairs], [p[1] for p in pairs]
    return {
        "cards": len(pairs),
        "commit_to_card_ms": {
            "p50": round(pct(commit, 0.5), 1),
            "p99": round(pct(commit, 0.99), 1),
            "max": round(max(commit), 1),
        },
        "click_to_card_ms": {
            "p50": round(pct(click, 0.5), 1),
            "p99": round(pct(click, 0.99), 1),
            "max": round(max(click), 1),
        },
        "mean_commit_to_card_ms": round(statistics.mean(commit), 1),
    }


@contextmanager
def database(args):
    if args.database_url:
        yield args.database_url
        return
    if not args.postgres:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite"
        return
    from sqlalchemy import create_engine, text

    admin_url = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    name = f"oh_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leaders", type=int, default=200)
    parser.add_argument("--cards", type=int, default=200, help="one at a time")
    parser.add_argument("--burst", type=int, default=8, help="conversions at once in the burst phase")
    parser.add_argument("--burst-cards", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--redis", help="e.g. redis://127.0.0.1:6379/0: cards go through the message queue")
    args = parser.parse_args()
    with database(args) as url:
        world = seed(url, args.leaders, args.cards + args.burst_cards)
        with gunicorn(url, args.leaders + 50, args.redis) as port:
            started = time.monotonic()
            leaders = Leaders(port, world["leader_tokens"])
            connect_s = time.monotonic() - started
            try:
                for n in range(5):  # warm-up: first requests load code paths and the connection pool
                    timed(port, world, leaders, n)
                one = [timed(port, world, leaders, n) for n in range(5, args.cards)]
                with ThreadPoolExecutor(args.burst) as pool:
                    offset = args.cards
                    burst = list(
                        pool.map(
                            lambda n: timed(port, world, leaders, n), range(offset, offset + args.burst_cards)
                        )
                    )
            finally:
                leaders.close()
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    result = {
        "leaders_connected": args.leaders,
        "connect_all_s": round(connect_s, 1),
        "database": backend,
        "redis": bool(args.redis),
        "one_at_a_time": summary(one),
        f"burst_{args.burst}": summary(burst),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
    }
    print(json.dumps(result, indent=2))
    o, b = result["one_at_a_time"], result[f"burst_{args.burst}"]
    print(
        f"| {time.strftime('%Y-%m-%d')} | {backend}{' + Redis' if args.redis else ''} | {args.leaders} | "
        f"{o['commit_to_card_ms']['p50']} / {o['commit_to_card_ms']['p99']} | "
        f"{o['click_to_card_ms']['p50']} / {o['click_to_card_ms']['p99']} | "
        f"{b['commit_to_card_ms']['p50']} / {b['commit_to_card_ms']['p99']} | "
        f"{b['click_to_card_ms']['p50']} / {b['click_to_card_ms']['p99']} |"
    )


if __name__ == "__main__":
    main()
