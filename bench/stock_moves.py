"""Bench: validated stock moves against the gunicorn server, next to a bare insert of the same stack.

    .venv/bin/python -m bench.stock_moves [--seconds 20] [--rounds 4] [--paced-rate 100]
                                          [--postgres | --database-url URL] [--processes N] [--skus N]

Starts gunicorn (gunicorn.conf.py: gthread, 1 worker) on a fresh database (a temporary SQLite file;
--postgres: a temporary database on 127.0.0.1:5432), then in one run measures, for
POST /api/v1/stock/moves (signed label + geofence + GPS signal + idempotency key + capacity check +
ledger + audit) and POST /api/v1/bench/insert (bearer auth + schema + one insert, bench/bare_insert.py):
throughput at saturation (64 clients back to back), p50/p99 latency at 16 clients back to back, and
p50/p99 at 16 clients paced to --paced-rate requests/s in all. Windows of the two endpoints alternate
over --rounds rounds. Prints a JSON summary and the Markdown row for bench/README.md. Each client is
its own warehouse user with a keep-alive connection; half the moves are receipts, half issues, all on
one balance row (the worst case for contention); --skus N spreads them over N SKUs on that location,
as phones working different shelves do.

--processes N (N ≥ 2) runs N gunicorn processes behind Debian's nginx with the production config
(deploy/nginx/order-helper.conf: TLS, sticky-cookie hashing, keepalive upstreams); the clients then
talk https to nginx, for both endpoints alike.
"""

import argparse
import http.client
import json
import os
import platform
import random
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SATURATION_CLIENTS = 64
LATENCY_CLIENTS = 16
LATENCY_COLUMNS = ("moves_latency", "bare_latency", "moves_paced", "bare_paced")


def seed(database_url: str, users: int, skus: int = 1) -> dict:
    """The demo-sized world of the stock tests, plus one user and token per client."""
    sys.path.insert(0, str(ROOT))
    from werkzeug.security import generate_password_hash

    from app import create_app
    from domain.masterdata import Sku, Warehouse
    from domain.users import User, issue_token
    from extensions import db
    from tests.integration.stock_world import YARD_A, build_world, label, put_stock

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
    with app.app_context():
        db.create_all()
        world = build_world(capacity_b="0")
        # A limited warehouse, so every receipt also runs the remaining-capacity check.
        db.session.execute(db.update(Warehouse).where(Warehouse.code == world.a).values(capacity=10**9))
        db.session.commit()
        codes = [world.sku] + [f"BENCH-{n:03d}" for n in range(1, skus)]
        db.session.add_all(Sku(code=code, name=code, unit="kg") for code in codes[1:])
        db.session.commit()
        for code in codes:
            put_stock(world.loc_a, "1000000", code)
        tokens = []
        for n in range(users):
            user = User(username=f"wh{n:02d}", password_hash=generate_password_hash("x", "pbkdf2:sha256:1"))
            user.set_roles(["warehouse"])
            db.session.add(user)
            db.session.flush()
            tokens.append(issue_token(user, 24))
        db.session.commit()
        return {"tokens": tokens, "label": label(world.loc_a), "yard": YARD_A, "skus": codes}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret",
        "BIND": f"127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
            "bench.wsgi_bench:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def move_body(world: dict, n: int) -> dict:
    from tests.integration.stock_world import gps

    fix = gps(world["yard"], accuracy=round(random.uniform(4, 20), 1), east_m=random.uniform(-30, 30))
    kind = "receipt" if n % 2 else "issue"
    sku = random.choice(world["skus"])
    return {"kind": kind, "sku": sku, "qty": "1", "location_label": world["label"], "gps": fix}


class Sample:
    """Latencies and elapsed time of one or more load windows of the same kind, merged."""

    def __init__(self, clients: int, interval: float = 0.0) -> None:
        self.clients, self.latencies, self.elapsed, self.statuses = clients, [], 0.0, {}
        self.interval = interval  # 0: back to back (closed loop); else seconds between one client's sends

    def summary(self) -> dict:
        ordered = sorted(self.latencies)

        def at(q: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

        return {
            "clients": self.clients,
            "requests": len(ordered),
            "per_second": round(len(ordered) / self.elapsed, 1),
            "p50_ms": at(0.50),
            "p99_ms": at(0.99),
            "statuses": self.statuses,
        }


def connector(port: int, tls: bool = False):
    """A function opening one client connection: plain http to gunicorn, or https to nginx."""
    if tls:
        context = ssl._create_unverified_context()  # the bench's own self-signed certificate
        return lambda: http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    return lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def load(connect, path: str, make_body, tokens: list[str], sample: Sample, seconds: float) -> None:
    """`sample.clients` keep-alive clients posting for `seconds`: back to back (a closed loop), or each on
    a fixed schedule, timed from the scheduled moment so a late server is not hidden by late sends."""
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(token: str) -> None:
        conn = connect()
        mine, codes, n = [], {}, 0
        due = time.perf_counter() + random.uniform(0, sample.interval)
        while time.perf_counter() < stop:
            if sample.interval:
                time.sleep(max(0.0, due - time.perf_counter()))
            body = json.dumps(make_body(n))
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": uuid.uuid4().hex,
            }
            started = due if sample.interval else time.perf_counter()
            due += sample.interval
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            codes[response.status] = codes.get(response.status, 0) + 1
            n += 1
        conn.close()
        with lock:
            sample.latencies.extend(mine)
            for code, count in codes.items():
                sample.statuses[code] = sample.statuses.get(code, 0) + count

    threads = [
        threading.Thread(target=client, args=(tokens[i % len(tokens)],)) for i in range(sample.clients)
    ]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sample.elapsed += time.perf_counter() - began


def run(connect, world: dict, seconds: float, rounds: int, paced_rate: float) -> dict:
    """Bare and validated windows alternate, so a change in the machine's load hits both alike."""
    tokens = world["tokens"]
    endpoints = {
        "bare": ("/api/v1/bench/insert", lambda n: {"note": f"bare {n}"}),
        "moves": ("/api/v1/stock/moves", lambda n: move_body(world, n)),
    }
    for path, body in endpoints.values():  # warm-up: imports, pools, caches
        load(connect, path, body, tokens, Sample(8), 2)
    phases = {
        "saturation": (SATURATION_CLIENTS, 0.0),
        "latency": (LATENCY_CLIENTS, 0.0),
        "paced": (LATENCY_CLIENTS, LATENCY_CLIENTS / paced_rate),
    }
    samples = {
        f"{name}_{phase}": Sample(clients, interval)
        for phase, (clients, interval) in phases.items()
        for name in endpoints
    }
    window = seconds / rounds
    for _ in range(rounds):
        for key, sample in samples.items():
            path, body = endpoints[key.split("_")[0]]
            load(connect, path, body, tokens, sample, window)
    return {key: sample.summary() for key, sample in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="per measurement, split over the rounds")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--paced-rate", type=float, default=100.0, help="requests/s of the 16 paced clients")
    parser.add_argument("--database-url", default=None, help="an empty database; default a temp SQLite file")
    parser.add_argument("--postgres", action="store_true", help="a temporary database on 127.0.0.1:5432")
    parser.add_argument(
        "--processes", type=int, default=1, help="≥ 2: that many gunicorn processes behind nginx"
    )
    parser.add_argument("--skus", type=int, default=1, help="spread the moves over this many SKUs")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    if args.postgres:
        with temporary_postgres() as url:
            bench(url, args)
    else:
        bench(args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.sqlite'}", args)
    tmp.cleanup()


@contextmanager
def temporary_postgres() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    admin_url = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"oh_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench(database_url: str, args: argparse.Namespace) -> None:
    world = seed(database_url, SATURATION_CLIENTS, args.skus)
    ports = [free_port() for _ in range(max(1, args.processes))]
    servers = [start_server(database_url, port) for port in ports]
    proxy = None
    try:
        if args.processes > 1:
            from tests.deploy.cluster import Nginx

            proxy = Nginx(Path(tempfile.mkdtemp(prefix="oh-bench-nginx-")), ports)
            proxy.start()
            connect = connector(proxy.https_port, tls=True)
        else:
            connect = connector(ports[0])
        results = run(connect, world, args.seconds, args.rounds, args.paced_rate)
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    check = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "app", "stock-check"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret"},
        capture_output=True,
        text=True,
    )
    ratio = results["moves_saturation"]["per_second"] / results["bare_saturation"]["per_second"]
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    summary = {
        "date": date.today().isoformat(),
        "machine": machine,
        "database": database_url.split(":", 1)[0]
        + (f", {args.processes} processes behind nginx (TLS)" if args.processes > 1 else "")
        + (f", moves over {args.skus} SKUs" if args.skus > 1 else ", one balance row"),
        **results,
        "ratio": round(ratio, 2),
        "stock_check": check.stdout.strip() or check.stderr.strip(),
    }
    print(json.dumps(summary, indent=2))
    m, b = results["moves_saturation"], results["bare_saturation"]
    cells = [f"{results[k]['p50_ms']} / {results[k]['p99_ms']}" for k in LATENCY_COLUMNS]
    print(
        f"| {summary['date']} | {machine} | {summary['database']} | {m['per_second']:.0f} | "
        f"{b['per_second']:.0f} | {ratio:.0%} | {' | '.join(cells)} |"
    )


if __name__ == "__main__":
    main()
