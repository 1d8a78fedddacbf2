"""Bench: the order list (DESIGN §3) at 100,000 orders — first page, a deep page by cursor, filters and
the count, through the API as a phone calls it.

    .venv/bin/python bench/order_list.py                      # SQLite file under a temp dir
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/oh_bench .venv/bin/python bench/order_list.py

Prints the median and worst of several calls per query, in milliseconds.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text
from werkzeug.security import generate_password_hash

from app import create_app
from domain.masterdata import Customer, Product
from domain.orders.models import PRIORITIES, Order
from domain.stage_machine import STAGES
from domain.users import User
from extensions import db

ORDERS = int(os.environ.get("BENCH_ORDERS", "100000"))
CUSTOMERS, PRODUCTS, SALESPEOPLE = 300, 400, 20
RUNS = 7


def fill(seed: int = 7) -> None:
    rng = random.Random(seed)
    db.session.execute(
        insert(Customer), [{"code": f"C{i:04d}", "name": f"客户{i}", "address": ""} for i in range(CUSTOMERS)]
    )
    db.session.execute(
        insert(Product), [{"model": f"P-{i:04d}", "name": f"产品{i}"} for i in range(PRODUCTS)]
    )
    password = generate_password_hash("bench", method="pbkdf2:sha256:1000")
    users = [{"username": f"sales{i}", "password_hash": password} for i in range(SALESPEOPLE)]
    db.session.execute(insert(User), [*users, {"username": "planner", "password_hash": password}])
    db.session.flush()
    user_ids = [u.id for u in db.session.execute(db.select(User).order_by(User.id)).scalars()]
    from domain.users import UserRole

    roles = [{"user_id": uid, "role": "sales"} for uid in user_ids[:-1]] + [
        {"user_id": user_ids[-1], "role": "planner"}
    ]
    db.session.execute(insert(UserRole), roles)
    start, base = date(2024, 1, 1), datetime(2024, 1, 1)
    batch = []
    for i in range(ORDERS):
        created = base + timedelta(minutes=7 * i)
        batch.append(
            {
                "number": f"SO-{created:%Y%m%d}-{i % 10000:04d}-{i}",
                "customer_id": rng.randint(1, CUSTOMERS),
                "product_id": rng.randint(1, PRODUCTS),
                "quantity": rng.randint(100, 20000),
                "unit_price": 10,
                "due_date": start + timedelta(days=rng.randint(0, 900)),
                "priority": rng.choice(PRIORITIES),
                "stage": rng.choices(STAGES, weights=[5, 5, 5, 10, 5, 65, 5])[0],
                "created_by_id": rng.choice(user_ids[:-1]),
                "created_at": created,
                "updated_at": created,
            }
        )
        if len(batch) == 5000:
            db.session.execute(insert(Order), batch)
            batch = []
    if batch:
        db.session.execute(insert(Order), batch)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
    db.session.commit()


def timed(client, headers, url: str) -> tuple[float, float, dict]:
    laps, body = [], {}
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        laps.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.json
    return statistics.median(laps), max(laps), body


def deep_cursor(client, headers, url: str, pages: int) -> str:
    """Walk `pages` pages to get a real cursor far into the list."""
    cursor = None
    for _ in range(pages):
        body = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=headers).json
        cursor = body["next_cursor"]
    return cursor


def main() -> None:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "TESTING": True})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        fill()
        print(f"{db.engine.dialect.name}: {ORDERS} orders inserted in {time.perf_counter() - started:.1f} s")
    # Requests outside that context: each gets its own, as on a server.
    client = app.test_client()
    tokens = {}
    for user in ("planner", "sales3"):
        tokens[user] = client.post("/api/v1/auth/token", json={"username": user, "password": "bench"}).json
    planner = {"Authorization": f"Bearer {tokens['planner']['token']}"}
    sales = {"Authorization": f"Bearer {tokens['sales3']['token']}"}
    queries = [
        ("first page, due date", planner, "/api/v1/orders?limit=50"),
        ("first page, newest first", planner, "/api/v1/orders?limit=50&sort=-created_at"),
        ("stage=in_production", planner, "/api/v1/orders?limit=50&stage=in_production"),
        ("customer C0042", planner, "/api/v1/orders?limit=50&customer_code=C0042"),
        ("number prefix", planner, "/api/v1/orders?limit=50&number=SO-20240301"),
        (
            "due window + priority A",
            planner,
            "/api/v1/orders?due_from=2024-06-01&due_to=2024-06-30&priority=A",
        ),
        ("a salesperson's own", sales, "/api/v1/orders?limit=50"),
    ]
    print(f"{'query':32} {'median ms':>10} {'worst ms':>10} {'total':>8}")
    for name, headers, path in queries:
        median, worst, body = timed(client, headers, path)
        print(f"{name:32} {median:10.1f} {worst:10.1f} {body['total']:8d}")
    cursor = deep_cursor(client, planner, "/api/v1/orders?limit=200", 100)
    median, worst, body = timed(client, planner, f"/api/v1/orders?limit=50&cursor={cursor}")
    print(f"{'page after 20,000 rows (cursor)':32} {median:10.1f} {worst:10.1f} {body['total']:8d}")


if __name__ == "__main__":
    main()
