"""Bench: an ERP pulling the stock ledger through GET /api/v1/stock/moves (the cursor feed), at
BENCH_MOVES moves (default 500,000): the first page, a page deep in the ledger, the whole pull, the
"what is new since last night" call, a warehouse filter, and a day's export.

    .venv/bin/python -m bench.ledger_feed                     # SQLite file under a temp dir
    .venv/bin/python -m bench.ledger_feed --postgres          # a temporary database on 127.0.0.1:5432

Prints the median and worst of several calls per query in milliseconds, and the whole pull in seconds.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, text
from werkzeug.security import generate_password_hash

from app import create_app
from domain.masterdata import Location, Sku, Warehouse
from domain.stock.ledger import StockMove
from domain.users import User, UserRole
from extensions import db

MOVES = int(os.environ.get("BENCH_MOVES", "500000"))
WAREHOUSES, LOCATIONS_EACH, SKUS = 4, 50, 300
PAGE = 1000
RUNS = 7
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def fill() -> None:
    """MOVES receipts spread over SKUs and locations, a minute apart, as bulk inserts."""
    db.session.execute(insert(Warehouse), [{"code": f"WH{w}", "name": f"仓{w}"} for w in range(WAREHOUSES)])
    db.session.execute(
        insert(Location),
        [
            {"warehouse_id": w + 1, "code": f"L{w}-{n:02d}"}
            for w in range(WAREHOUSES)
            for n in range(LOCATIONS_EACH)
        ],
    )
    db.session.execute(
        insert(Sku), [{"code": f"S{n:04d}", "name": f"料{n}", "unit": "pcs"} for n in range(SKUS)]
    )
    password = generate_password_hash("bench", method="pbkdf2:sha256:1000")
    db.session.execute(insert(User), [{"username": "erp", "password_hash": password}])
    db.session.execute(insert(UserRole), [{"user_id": 1, "role": "planner"}])
    start, locations, batch = datetime(2026, 1, 1), WAREHOUSES * LOCATIONS_EACH, []
    for i in range(MOVES):
        batch.append(
            {
                "kind": "receipt",
                "sku_id": i % SKUS + 1,
                "lot": "",
                "location_id": (i * 7) % locations + 1,
                "qty": 1,
                "on_hand_after": i // SKUS + 1,
                "at": start + timedelta(minutes=i),
                "user_id": 1,
            }
        )
        if len(batch) == 10_000:
            db.session.execute(insert(StockMove), batch)
            batch = []
    if batch:
        db.session.execute(insert(StockMove), batch)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def timed(call: Callable[[], object]) -> tuple[float, float]:
    laps = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        laps.append((time.perf_counter() - started) * 1000)
    return statistics.median(laps), max(laps)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true", help="a temporary database on 127.0.0.1:5432")
    args = parser.parse_args()
    admin, name = None, f"oh_bench_feed_{uuid.uuid4().hex[:8]}"
    if args.postgres:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "REQUEST_LOG": "off"})
    try:
        run(app)
    finally:
        if admin is not None:
            with app.app_context():
                db.engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run(app) -> None:
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        fill()
        print(f"{db.engine.dialect.name}: {MOVES:,} moves inserted in {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "erp", "password": "bench"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def get(path: str, **query) -> dict:
        response = client.get(path, query_string=query, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return response.json if response.is_json else {}

    started, cursor, pages, seen = time.perf_counter(), None, 0, 0
    resume = deep = None
    while True:
        body = get("/api/v1/stock/moves", limit=PAGE, **({"cursor": cursor} if cursor else {}))
        pages, seen = pages + 1, seen + len(body["items"])
        if pages == MOVES // PAGE // 2:
            deep = body["next_cursor"]
        resume = body["resume_cursor"]
        if not (cursor := body["next_cursor"]):
            break
    whole = time.perf_counter() - started
    assert seen == MOVES, (seen, MOVES)

    day = date(2026, 1, 1) + timedelta(days=MOVES // 1440 // 2)
    queries = [
        ("first page (1,000 moves)", lambda: get("/api/v1/stock/moves", limit=PAGE)),
        ("a page halfway (cursor)", lambda: get("/api/v1/stock/moves", limit=PAGE, cursor=deep)),
        ("new since the last pull (0)", lambda: get("/api/v1/stock/moves", limit=PAGE, cursor=resume)),
        ("one warehouse, first page", lambda: get("/api/v1/stock/moves", limit=PAGE, warehouse="WH2")),
        ("newest first, first page", lambda: get("/api/v1/stock/moves", limit=PAGE, order="newest")),
        (
            f"export.xlsx of one day ({1440:,})",
            lambda: get(
                "/api/v1/stock/moves/export.xlsx", date_from=day.isoformat(), date_to=day.isoformat()
            ),
        ),
    ]
    print(f"{'query':34} {'median ms':>10} {'worst ms':>10}")
    for label, call in queries:
        median, worst = timed(call)
        print(f"{label:34} {median:10.1f} {worst:10.1f}")
    print(f"whole ledger, {pages} pages of {PAGE:,}: {whole:.1f} s ({MOVES / whole:,.0f} moves/s)")


if __name__ == "__main__":
    main()
