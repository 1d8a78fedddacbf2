"""Bench: the dashboard's data endpoints (DESIGN §9) at 100,000 orders and 1,000,000 stock ledger rows.

    .venv/bin/python bench/dashboard.py                     # SQLite file under a temp dir
    BENCH_ORDERS=20000 BENCH_MOVES=100000 .venv/bin/python bench/dashboard.py   # a quick run
    BENCH_DB=/tmp/…/bench.sqlite .venv/bin/python bench/dashboard.py           # measure a filled file again

The plant: 300 customers, 400 models (BOMs of 3 lines over 2,000 SKUs, all stocked), 6 workshops with
48 machines, 100,000 orders due over four years up to 60 days ahead (about 70 a day; the past ones
shipped or cancelled, 1 in 200 still open and late), a work order with two operations for every order
past confirmation, a final inspection for each shipped one and first-article inspections for half of
those in production, 6,000 change notices, 12,000 rated service tickets, one submission per order, and
1,000,000 stock moves. Each endpoint is called through the full stack (bearer token, role check)
7 times; the median and the worst are printed in milliseconds, and so is one computation of the
live broadcast (all four modules, what realtime/dashboard.py does once per coalesced change).
"""

import gc
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text
from werkzeug.security import generate_password_hash

from app import create_app
from domain.kpi import service
from domain.masterdata import BomLine, BomVersion, Customer, Location, Product, Sku, Team, Warehouse, Workshop
from domain.orders.changes import ChangeNotice
from domain.orders.compliance_rules import OrderSubmission
from domain.orders.models import PRIORITIES, Order, OrderStageEvent
from domain.production.models import Machine, Operation, WorkOrder
from domain.quality.inspections import FINAL, FIRST_ARTICLE, Inspection
from domain.service.tickets import ServiceTicket
from domain.stock.ledger import StockBalance, StockMove
from domain.users import User, UserRole
from extensions import db

ORDERS = int(os.environ.get("BENCH_ORDERS", "100000"))
MOVES = int(os.environ.get("BENCH_MOVES", "1000000"))
CUSTOMERS, PRODUCTS, WORKSHOPS, MACHINES_PER_SHOP, SKUS, LOCATIONS = 300, 400, 6, 8, 2000, 400
RUNS = 7
YEARS = 4  # 100,000 orders over four years: about 70 a day
STILL_OPEN = 0.005  # of the orders due more than 3 days ago, the share still open (late)
BATCH = 20000


def _insert(model, rows) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start : start + BATCH])


def _master_data() -> int:
    password = generate_password_hash("bench", method="pbkdf2:sha256:1000")
    _insert(User, [{"username": "vp", "password_hash": password}])
    db.session.flush()
    user_id = db.session.execute(text("SELECT id FROM user")).scalar_one()
    _insert(UserRole, [{"user_id": user_id, "role": "vp"}])
    _insert(Customer, [{"code": f"C{i:04d}", "name": f"客户{i}", "address": ""} for i in range(CUSTOMERS)])
    _insert(Product, [{"model": f"P-{i:04d}", "name": f"产品{i}"} for i in range(PRODUCTS)])
    _insert(BomVersion, [{"product_id": i + 1, "version": 1, "status": "active"} for i in range(PRODUCTS)])
    _insert(Workshop, [{"code": f"W{i}", "name": f"车间{i}"} for i in range(WORKSHOPS)])
    _insert(Team, [{"code": f"T{i}", "name": f"班组{i}", "workshop_id": i + 1} for i in range(WORKSHOPS)])
    _insert(
        Machine,
        [
            {"workshop_id": w + 1, "code": f"IM-{w}-{m}", "name": f"注塑机{w}-{m}"}
            for w in range(WORKSHOPS)
            for m in range(MACHINES_PER_SHOP)
        ],
    )
    _insert(Sku, [{"code": f"SKU-{i:05d}", "name": f"物料{i}"} for i in range(SKUS)])
    _insert(Warehouse, [{"code": f"WH{i}", "name": f"仓库{i}"} for i in range(4)])
    _insert(Location, [{"warehouse_id": i % 4 + 1, "code": f"L{i:04d}"} for i in range(LOCATIONS)])
    rng = random.Random(3)
    _insert(
        BomLine,
        [
            {
                "bom_id": p + 1,
                "sku_id": (p * 3 + k) % SKUS + 1,
                "qty_per": Decimal("0.2"),
                "scrap_pct": Decimal(2),
            }
            for p in range(PRODUCTS)
            for k in range(3)
        ],
    )
    _insert(
        StockBalance,
        [
            {
                "sku_id": s + 1,
                "lot": "",
                "location_id": s % LOCATIONS + 1,
                "qty": Decimal(rng.randint(0, 3000)),
            }
            for s in range(SKUS)
        ],
    )
    return user_id


def _orders(rng: random.Random, today, now: datetime, user_id: int) -> None:
    orders, events, work_orders, operations, inspections, submissions = [], [], [], [], [], []
    for i in range(ORDERS):
        due = today + timedelta(days=rng.randint(-YEARS * 365, 60))
        created = min(now, now - timedelta(days=(today - due).days + rng.randint(20, 40)))
        if due < today - timedelta(days=3) and rng.random() > STILL_OPEN:
            stage = "shipped" if rng.random() > 0.05 else "cancelled"
        else:
            stage = rng.choices(
                ["quote", "confirmed", "scheduling", "in_production", "awaiting_qc"], [2, 2, 2, 5, 2]
            )[0]
        order_id = i + 1
        orders.append(
            {
                "number": f"SO-{created:%Y%m%d}-{i:06d}",
                "customer_id": rng.randint(1, CUSTOMERS),
                "product_id": rng.randint(1, PRODUCTS),
                "quantity": rng.randint(100, 20000),
                "unit_price": 10,
                "due_date": due,
                "priority": rng.choice(PRIORITIES),
                "stage": stage,
                "created_by_id": user_id,
                "created_at": created,
                "updated_at": created,
            }
        )
        events.append({"order_id": order_id, "from_stage": None, "to_stage": "quote", "at": created})
        submissions.append(
            {
                "order_id": order_id,
                "user_id": user_id,
                "at": created,
                "month": f"{created:%Y-%m}",
                "failed_count": rng.choice([0, 0, 0, 0, 1, 2]),
                "failed": [],
            }
        )
        if stage in ("quote", "confirmed", "cancelled"):
            continue
        wo_id = len(work_orders) + 1
        work_orders.append(
            {
                "number": f"WO-{i:07d}",
                "order_id": order_id,
                "product_id": orders[-1]["product_id"],
                "bom_version_id": orders[-1]["product_id"],
                "quantity": orders[-1]["quantity"],
                "team_id": rng.randint(1, WORKSHOPS),
                "status": "finished" if stage == "shipped" else "in_progress",
                "created_at": created,
            }
        )
        start = datetime(due.year, due.month, due.day) - timedelta(
            days=rng.randint(3, 10), hours=rng.randint(0, 23)
        )
        work_orders[-1]["planned_start"] = start
        for seq in (1, 2):
            hours = rng.randint(4, 30)
            operations.append(
                {
                    "work_order_id": wo_id,
                    "seq": seq,
                    "name": "注塑" if seq == 1 else "装配",
                    "workshop_id": rng.randint(1, WORKSHOPS),
                    "machine_id": None,
                    "planned_start": start,
                    "planned_end": start + timedelta(hours=hours),
                    "status": "finished"
                    if stage == "shipped" or start + timedelta(hours=hours) < now
                    else "pending",
                    "good_qty": 0,
                    "scrap_qty": 0,
                }
            )
            start += timedelta(hours=hours)
        if stage == "shipped":
            shipped_at = start + timedelta(days=rng.choice([0, 1, 1, 2, 3, 4, 6]))
            events.append(
                {"order_id": order_id, "from_stage": "awaiting_qc", "to_stage": "shipped", "at": shipped_at}
            )
            inspections.append(
                {
                    "work_order_id": wo_id,
                    "kind": FINAL,
                    "attempt": 1,
                    "passed": rng.random() < 0.9,
                    "inspector_id": user_id,
                    "at": shipped_at - timedelta(hours=6),
                    "note": "",
                }
            )
        elif rng.random() < 0.5:
            inspections.append(
                {
                    "work_order_id": wo_id,
                    "kind": FIRST_ARTICLE,
                    "attempt": 1,
                    "passed": rng.random() < 0.85,
                    "inspector_id": user_id,
                    "at": now - timedelta(hours=rng.randint(1, 200)),
                    "note": "",
                }
            )
    for model, rows in (
        (Order, orders),
        (OrderStageEvent, events),
        (OrderSubmission, submissions),
        (WorkOrder, work_orders),
        (Operation, operations),
        (Inspection, inspections),
    ):
        _insert(model, rows)
        print(f"  {model.__tablename__}: {len(rows)} rows", flush=True)


def _changes_tickets_moves(rng: random.Random, now: datetime, user_id: int) -> None:
    notices = []
    for _ in range(6000):
        created = now - timedelta(days=rng.randint(0, 400), hours=rng.randint(0, 23))
        seconds = int(rng.expovariate(1 / (8 * 3600)))
        notices.append(
            {
                "kind": "process",
                "product_id": rng.randint(1, PRODUCTS),
                "title": "工艺变更",
                "body": "",
                "changes": {},
                "created_at": created,
                "completed_at": created + timedelta(seconds=seconds),
                "response_seconds": seconds,
            }
        )
    _insert(ChangeNotice, notices)
    tickets = []
    for i in range(12000):
        created = now - timedelta(days=rng.randint(0, 400))
        tickets.append(
            {
                "number": f"ST-{i:06d}",
                "customer_id": rng.randint(1, CUSTOMERS),
                "serial": f"SN{i:07d}",
                "product_id": rng.randint(1, PRODUCTS),
                "ship_date": (created - timedelta(days=rng.randint(10, 900))).date(),
                "fault_description": "不出水",
                "state": "closed",
                "rating": rng.choice([3, 4, 4, 5, 5]),
                "created_at": created,
                "closed_at": created + timedelta(days=2),
                "updated_at": created,
            }
        )
    _insert(ServiceTicket, tickets)
    print(f"  change_notice: {len(notices)}, service_ticket: {len(tickets)}", flush=True)
    started = time.perf_counter()
    moves = []
    for i in range(MOVES):
        qty = rng.randint(1, 500) * (1 if i % 3 else -1)
        moves.append(
            {
                "at": now - timedelta(seconds=(MOVES - i) * 30),
                "kind": "receipt" if qty > 0 else "issue",
                "sku_id": rng.randint(1, SKUS),
                "lot": "",
                "location_id": rng.randint(1, LOCATIONS),
                "qty": qty,
                "on_hand_after": 1000,
                "ref": f"WO-{rng.randint(0, ORDERS):07d}",
                "user_id": user_id,
            }
        )
        if len(moves) == 100000:
            _insert(StockMove, moves)
            moves = []
    if moves:
        _insert(StockMove, moves)
    print(f"  stock_move: {MOVES} rows in {time.perf_counter() - started:.0f} s", flush=True)


def fill(seed: int = 9) -> None:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    user_id = _master_data()
    _orders(rng, service.today(), now, user_id)
    _changes_tickets_moves(rng, now, user_id)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    if db.engine.dialect.name == "sqlite":  # fold the bulk load's WAL into the file, as a live app has
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def timed(client, headers, url: str) -> tuple[float, float]:
    laps = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        laps.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return statistics.median(laps), max(laps)


ENDPOINTS = [
    ("order pool", "/api/v1/dashboard/order-pool"),
    ("production heatmap", "/api/v1/dashboard/heatmap"),
    ("kitting alerts", "/api/v1/dashboard/kitting"),
    ("delivery countdown", "/api/v1/dashboard/countdown"),
    ("OHDI, 12 months", "/api/v1/kpi/ohdi?months=12"),
    ("missing information, 12 months", "/api/v1/kpi/missing-information?months=12"),
    ("repair hot spots, 12 months", "/api/v1/kpi/repair-hot-spots?months=12"),
]


def main() -> None:
    reuse = os.environ.get("BENCH_DB")  # a file an earlier run filled: measure again without refilling
    path = reuse or f"{tempfile.mkdtemp()}/bench.sqlite"
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{path}"
    overrides = {
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "TESTING": True,
        "REQUEST_LOG": "off",
    }
    app = create_app(overrides)
    with app.app_context():
        if not (reuse and Path(reuse).exists()):
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            fill()
            print(
                f"{db.engine.dialect.name}: filled {path} in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
        gc.collect()
        gc.freeze()  # as the server's wsgi.py does after start-up
        laps = []
        for _ in range(RUNS):
            started = time.perf_counter()
            service.dashboard_modules()
            laps.append((time.perf_counter() - started) * 1000)
            db.session.remove()
        broadcast = (statistics.median(laps), max(laps))
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "vp", "password": "bench"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    assert client.get("/api/v1/kpi/ohdi?months=12", headers=headers).status_code == 200
    cold = (time.perf_counter() - started) * 1000
    print(f"{'endpoint':34} {'median ms':>10} {'worst ms':>10}")
    for name, endpoint in ENDPOINTS:
        median, worst = timed(client, headers, endpoint)
        print(f"{name:34} {median:10.1f} {worst:10.1f}")
    print(f"{'broadcast computation (in-process)':34} {broadcast[0]:10.1f} {broadcast[1]:10.1f}")
    print(f"OHDI first call of the process (closed months read, then kept): {cold:.0f} ms")


if __name__ == "__main__":
    main()
