"""Bench: the order search box (domain/orders/search.py) at 100,000 orders: any part of a number or
PO, customer code, part of a name, pinyin initials, full pinyin, model; through the API as a phone
calls it (first page of 50 with the exact total).

    .venv/bin/python bench/order_search.py                      # SQLite file under a temp dir
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/oh_bench .venv/bin/python bench/order_search.py

Prints the median and worst of several calls per query, in milliseconds, and how many orders each finds.
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
from domain.search_text import search_key
from domain.stage_machine import STAGES
from domain.users import User, UserRole
from extensions import db

ORDERS = int(os.environ.get("BENCH_ORDERS", "100000"))
PRODUCTS = 400
RUNS = 7
PLACES = ["中山市", "东莞市", "深圳市", "佛山市", "广州市", "惠州市", "江门市", "珠海市", "宁波市", "苏州市"]
BRANDS = [
    "明辉",
    "宝华",
    "长城",
    "金盛",
    "华美",
    "永利",
    "恒通",
    "鸿达",
    "新光",
    "瑞丰",
    "天和",
    "德力",
    "海兴",
    "通达",
    "联创",
    "兴业",
    "富康",
    "东方",
    "国泰",
    "万顺",
    "广汇",
    "科林",
    "盈丰",
    "嘉信",
    "荣昌",
    "和顺",
    "正泰",
    "精诚",
]
KINDS = ["塑胶有限公司", "电器厂", "电子有限公司", "五金制品厂"]


def customers() -> list[dict]:
    """280 customers named the way plant customers are: place, brand, kind (中山市明辉塑胶有限公司)."""
    rows = []
    for i, (place, brand) in enumerate((p, b) for p in PLACES for b in BRANDS):
        code, name = f"C{i:04d}", f"{place}{brand}{KINDS[i % len(KINDS)]}"
        rows.append({"code": code, "name": name, "address": "", "search_key": search_key(code, name)})
    return rows


def fill(seed: int = 7) -> None:
    rng = random.Random(seed)
    found = customers()
    db.session.execute(insert(Customer), found)
    db.session.execute(
        insert(Product), [{"model": f"OH-HS-{i:04d}", "name": f"产品{i}"} for i in range(PRODUCTS)]
    )
    password = generate_password_hash("bench", method="pbkdf2:sha256:1000")
    db.session.execute(insert(User), [{"username": "planner", "password_hash": password}])
    db.session.flush()
    planner_id = db.session.execute(db.select(User.id)).scalar_one()
    db.session.execute(insert(UserRole), [{"user_id": planner_id, "role": "planner"}])
    start, base = date(2024, 1, 1), datetime(2024, 1, 1)
    batch = []
    for i in range(ORDERS):
        created = base + timedelta(minutes=7 * i)
        batch.append(
            {
                "number": f"SO-{created:%Y%m%d}-{i % 10000:04d}",
                "original_ref": f"PO{rng.randint(100000, 999999)}",
                "customer_id": rng.randint(1, len(found)),
                "product_id": rng.randint(1, PRODUCTS),
                "quantity": rng.randint(100, 20000),
                "unit_price": 10,
                "due_date": start + timedelta(days=rng.randint(0, 900)),
                "priority": rng.choice(PRIORITIES),
                "stage": rng.choices(STAGES, weights=[5, 5, 5, 10, 5, 65, 5])[0],
                "created_by_id": planner_id,
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
    db.session.execute(text("ANALYZE"))
    db.session.commit()


QUERIES = [
    ("two letters mh", "mh"),
    ("number part 1117", "1117"),
    ("whole number", "SO-20240106-1234"),
    ("PO part 12345", "12345"),
    ("customer code c0042", "c0042"),
    ("name part 明辉", "明辉"),
    ("pinyin initials zsmh", "zsmh"),
    ("full pinyin minghui", "minghui"),
    ("model part hs-0123", "hs-0123"),
    ("nothing matches", "qqqxxx"),
]


def timed(client, headers, q: str) -> tuple[float, float, int]:
    laps, total = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get("/api/v1/orders", query_string={"q": q, "limit": 50}, headers=headers)
        laps.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
        total = response.json["total"]
    return statistics.median(laps), max(laps), total


def main() -> None:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "TESTING": True})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        fill()
        print(f"{db.engine.dialect.name}: {ORDERS} orders inserted in {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "planner", "password": "bench"}).json
    headers = {"Authorization": f"Bearer {token['token']}"}
    print(f"{'query':28} {'median ms':>10} {'worst ms':>10} {'found':>8}")
    for name, q in QUERIES:
        median, worst, total = timed(client, headers, q)
        print(f"{name:28} {median:10.1f} {worst:10.1f} {total:8d}")


if __name__ == "__main__":
    main()
