"""Bench: lot trace over a generated history of 1,000,000 stock ledger rows on SQLite.

    .venv/bin/python -m bench.trace [--moves 1000000] [--repeat 7] [--keep PATH]

Builds a fresh SQLite file (bulk inserts with executemany in 20,000-row chunks, one transaction per
table) holding a plant's two-year history: supplier lots received as material lots, work orders that
consume three resin lots and one colour-masterbatch lot each and make two output lots, and shipments of
every output lot with serial numbers. The ledger (stock_move) gets one row per receipt, issue, output
and shipment, 1,000,000 in all at the default size; lots, edges, consumptions, orders, work orders,
shipments and serials follow from them. Then times, through the real code (domain/quality/trace.py and
the API with a bearer token): forward from a typical supplier lot, forward from a busy colour supplier
lot (its two receipts of masterbatch went into ~2% of all work orders), backward from an order,
backward from an output lot, and the defect report with its XLSX. Prints the sizes, median / worst ms
per query and a Markdown table for bench/README.md.
"""

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 20_000
MOVES_PER_WORK_ORDER = 4 + 2 + 2  # 4 issues, 2 outputs, 2 shipments
RECEIPTS_PER_WORK_ORDER = 2  # material lots received per work order made, on average
START = datetime(2024, 11, 1)


def ts(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


class Writer:
    """executemany in chunks on the raw sqlite3 connection; one transaction per table."""

    def __init__(self, connection: sqlite3.Connection):
        self.db = connection
        self.counts: dict[str, int] = {}

    def put(self, table: str, columns: tuple[str, ...], rows) -> None:
        sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
        batch: list[tuple] = []
        self.db.execute("BEGIN")
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                self.db.executemany(sql, batch)
                batch.clear()
        if batch:
            self.db.executemany(sql, batch)
        self.db.execute("COMMIT")
        self.counts[table] = self.db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def generate(path: Path, moves: int, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    work_orders = moves // (MOVES_PER_WORK_ORDER + RECEIPTS_PER_WORK_ORDER)
    material_lots = work_orders * RECEIPTS_PER_WORK_ORDER
    # Few colour lots, so each goes into many work orders: 100 lots at full size, each in ~1% of them.
    colour_lots = max(4, material_lots // 2000)
    supplier_lots = material_lots // 2  # a supplier's batch arrives in two receipts
    customers, products, resins, colours = 2000, 200, 40, 20
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys=OFF")  # bulk load in dependency order; the schema keeps its FKs
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    w = Writer(db)
    now = ts(START)
    w.put(
        "user",
        ("id", "username", "display_name", "password_hash", "active", "is_demo", "created_at"),
        [(1, "bench", "bench", "-", 1, 0, now)],
    )
    w.put(
        "customer",
        ("id", "code", "name", "address", "blocked", "purchase_12m", "active", "updated_at"),
        ((i, f"C{i:05d}", f"客户 {i}", "", 0, 0, 1, now) for i in range(1, customers + 1)),
    )
    w.put(
        "product",
        ("id", "model", "name", "std_lead_days", "mold", "colorant", "active"),
        ((i, f"P-{i:04d}", f"外壳 {i}", 15, "", "", 1) for i in range(1, products + 1)),
    )
    # SKUs: 1..products are the finished goods (code = model), then resins, then colours.
    skus = [(i, f"P-{i:04d}", f"外壳 {i}", "pcs", "finished", 0, 1) for i in range(1, products + 1)]
    resin_ids = list(range(products + 1, products + resins + 1))
    colour_ids = list(range(products + resins + 1, products + resins + colours + 1))
    skus += [(i, f"RES-{i}", "resin", "kg", "material", 0, 1) for i in resin_ids]
    skus += [(i, f"MB-{i}", "masterbatch", "kg", "material", 0, 1) for i in colour_ids]
    w.put("sku", ("id", "code", "name", "unit", "kind", "safety_stock", "active"), skus)
    w.put("workshop", ("id", "code", "name", "active"), [(1, "WS-1", "注塑车间", 1)])
    w.put("team", ("id", "code", "name", "workshop_id", "active"), [(1, "T-1", "一班", 1, 1)])
    w.put(
        "bom_version",
        ("id", "product_id", "version", "status", "locked", "created_at"),
        ((i, i, 1, "active", 1, now) for i in range(1, products + 1)),
    )
    w.put(
        "warehouse",
        ("id", "code", "name", "address", "capacity", "active"),
        [(1, "RM", "原料仓", "", 0, 1), (2, "FG", "成品仓", "", 0, 1)],
    )
    w.put(
        "location",
        ("id", "warehouse_id", "code", "name", "active"),
        [(1, 1, "RM-01", "", 1), (2, 2, "FG-01", "", 1)],
    )

    # Lots: supplier lots, then material lots (two per supplier lot), then output lots (two per WO).
    lot_rows, edge_rows, move_rows, balance = [], [], [], {}
    material_sku: dict[int, int] = {}
    lot_id = 0
    move_id = 0

    def move(at, kind, sku, lot, location, grams, ref):
        """`grams`: thousandths of the unit, as ExactQty stores them."""
        nonlocal move_id
        move_id += 1
        key = (sku, lot, location)
        balance[key] = balance.get(key, 0) + grams
        move_rows.append((move_id, ts(at), kind, sku, lot, location, grams, balance[key], ref, 1))
        return move_id

    span = (datetime(2026, 11, 1) - START).total_seconds()
    for s in range(supplier_lots):
        lot_id += 1
        colour = s < colour_lots // 2
        sku = colour_ids[s % colours] if colour else resin_ids[s % resins]
        at = START + timedelta(seconds=span * s / supplier_lots)
        lot_rows.append(
            (lot_id, f"SUP-{s:07d}", sku, "supplier", f"supplier-{s % 37}", None, 2000_000, ts(at))
        )
        supplier_id = lot_id
        for half in range(2):
            lot_id += 1
            code = f"M{s:07d}-{half}"
            lot_rows.append((lot_id, code, sku, "material", "", None, 1000_000, ts(at)))
            edge_rows.append((supplier_id, lot_id, "received_as", None, ts(at)))
            material_sku[lot_id] = sku
            move(at, "receipt", sku, code, 1, 1000_000, None)
    material_ids = [i for i, sku in material_sku.items() if sku not in colour_ids]
    busy_ids = [i for i, sku in material_sku.items() if sku in colour_ids]
    busy = set(busy_ids)
    codes = {row[0]: row[1] for row in lot_rows}

    order_rows, wo_rows, consumption_rows = [], [], []
    shipment_rows, line_rows, serial_rows = [], [], []
    serial = 0
    for n in range(1, work_orders + 1):
        at = START + timedelta(seconds=span * n / work_orders)
        product = rnd.randint(1, products)
        customer = rnd.randint(1, customers)
        number = f"WO-{at:%Y%m%d}-{n:06d}"
        order_rows.append(
            (
                n,
                f"SO-{n:07d}",
                customer,
                product,
                1000,
                at.date().isoformat(),
                "B",
                "shipped",
                0,
                ts(at),
                ts(at),
            )
        )
        wo_rows.append((n, number, n, product, product, 1000, 1, "finished", ts(at), ts(at), 1000, 0, ts(at)))
        used = [*rnd.sample(material_ids, 3), rnd.choice(busy_ids)]
        for lot in used:
            grams = 200 if lot in busy else 10_000  # 0.2 / 10 kg: a masterbatch is a few % of the resin
            mid = move(at, "issue", material_sku[lot], codes[lot], 1, -grams, number)
            consumption_rows.append((n, lot, grams, mid, ts(at)))
        outputs = []
        for k in (1, 2):
            lot_id += 1
            code = f"{number}-{k:02d}"
            lot_rows.append((lot_id, code, product, "output", "", n, 500_000, ts(at)))
            outputs.append((lot_id, code))
            move(at, "output", product, code, 2, 500_000, number)
            for parent in used:
                edge_rows.append((parent, lot_id, "made_into", n, ts(at)))
        for k, (out_id, code) in enumerate(outputs):
            sid = 2 * n - 1 + k
            day = (at + timedelta(days=2)).date()
            move(at, "shipment", product, code, 2, -500_000, f"SO-{n:07d}")
            shipment_rows.append(
                (sid, f"SH-{day:%Y%m%d}-{sid:07d}", n, customer, day.isoformat(), "", ts(at))
            )
            line_rows.append((sid, sid, product, out_id, 500_000))
            for _s in range(2):
                serial += 1
                serial_rows.append((serial, f"SN{serial:09d}", sid, sid, out_id, product))
    w.put("lot", ("id", "code", "sku_id", "kind", "supplier", "work_order_id", "qty", "created_at"), lot_rows)
    w.put("lot_edge", ("parent_id", "child_id", "kind", "work_order_id", "at"), edge_rows)
    w.put(
        "sales_order",
        (
            "id",
            "number",
            "customer_id",
            "product_id",
            "quantity",
            "due_date",
            "priority",
            "stage",
            "is_rush",
            "created_at",
            "updated_at",
        ),
        order_rows,
    )
    w.put(
        "work_order",
        (
            "id",
            "number",
            "order_id",
            "product_id",
            "bom_version_id",
            "quantity",
            "team_id",
            "status",
            "planned_start",
            "planned_end",
            "good_qty",
            "scrap_qty",
            "created_at",
        ),
        wo_rows,
    )
    w.put(
        "stock_move",
        ("id", "at", "kind", "sku_id", "lot", "location_id", "qty", "on_hand_after", "ref", "user_id"),
        move_rows,
    )
    w.put(
        "stock_balance",
        ("sku_id", "lot", "location_id", "qty", "updated_at"),
        ((sku, lot, loc, grams, now) for (sku, lot, loc), grams in balance.items()),
    )
    w.put("lot_consumption", ("work_order_id", "lot_id", "qty", "stock_move_id", "at"), consumption_rows)
    w.put(
        "shipment",
        ("id", "number", "order_id", "customer_id", "ship_date", "note", "created_at"),
        shipment_rows,
    )
    w.put("shipment_line", ("id", "shipment_id", "sku_id", "lot_id", "qty"), line_rows)
    w.put(
        "serial_number",
        ("id", "serial", "shipment_id", "shipment_line_id", "lot_id", "product_id"),
        serial_rows,
    )
    db.execute("ANALYZE")
    db.close()
    return {"counts": w.counts, "busy_supplier_lots": colour_lots // 2}


def timed(fn, repeat: int) -> tuple[float, float, float, object]:
    """Median and worst wall-clock ms, and the median CPU ms of this process (SQLite runs in it too):
    on a shared, loaded machine the CPU time shows what the query costs when it gets the CPU."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu), result


def measure(path: Path, repeat: int, busy: int) -> list[dict]:
    from app import create_app
    from domain.quality import defect_service, trace
    from domain.quality.defects import DefectReport
    from domain.quality.lots import Lot
    from domain.users import User, issue_token
    from extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench", "TESTING": True})
    rows = []
    with app.app_context():
        user = db.session.get(User, 1)
        user.set_roles(["qc"])
        db.session.commit()
        token = issue_token(user, 1)
        db.session.commit()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        rnd = random.Random(11)
        n_supplier = db.session.execute(
            db.select(db.func.count(Lot.id)).where(Lot.kind == "supplier")
        ).scalar()
        typical = db.session.execute(
            db.select(Lot.id).where(Lot.code == f"SUP-{rnd.randrange(busy, n_supplier):07d}")
        ).scalar()
        hot = db.session.execute(
            db.select(Lot.id).where(Lot.code == f"SUP-{rnd.randrange(busy):07d}")
        ).scalar()
        n_orders = db.session.execute(db.text("SELECT max(id) FROM sales_order")).scalar()
        order = rnd.randint(1, n_orders)
        output = db.session.execute(
            db.select(Lot.id).where(Lot.kind == "output").offset(rnd.randrange(1000)).limit(1)
        ).scalar()
        cases = [
            ("forward from a supplier lot", lambda: trace.forward_from_lots([typical])),
            ("forward from a busy colour supplier lot", lambda: trace.forward_from_lots([hot])),
            ("backward from an order", lambda: trace.backward_from_order(order)),
            ("backward from an output lot", lambda: trace.backward_from_lots([output])),
        ]
        for name, fn in cases:
            db.session.expire_all()
            median, worst, cpu, result = timed(fn, repeat)
            sizes = {
                k: len(getattr(result, k))
                for k in ("lots", "work_orders", "orders", "shipments", "customers")
            }
            row = {
                "query": name,
                "median_ms": round(median, 1),
                "worst_ms": round(worst, 1),
                "cpu_ms": round(cpu, 1),
            }
            rows.append({**row, **sizes})
        api_cases = [
            ("API GET /trace/lots/<busy supplier lot>", f"/api/v1/trace/lots/{hot}"),
            ("API GET /trace/orders/<order>", f"/api/v1/trace/orders/{order}"),
        ]
        for name, url in api_cases:
            median, worst, cpu, response = timed(lambda url=url: client.get(url, headers=headers), repeat)
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
            rows.append(
                {
                    "query": name,
                    "median_ms": round(median, 1),
                    "worst_ms": round(worst, 1),
                    "cpu_ms": round(cpu, 1),
                }
            )
        report = DefectReport(lot_id=hot, description="bench", widened=False, affected={})
        db.session.add(report)
        db.session.commit()

        def defect():
            result = defect_service.affected(db.session.get(Lot, hot), False)
            return defect_service.workbook(report, result)

        median, worst, cpu, book = timed(defect, max(3, repeat // 2))
        rows.append(
            {
                "query": "defect report on the busy lot + XLSX",
                "median_ms": round(median, 1),
                "worst_ms": round(worst, 1),
                "cpu_ms": round(cpu, 1),
                "xlsx_bytes": len(book),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the database here and keep it")
    parser.add_argument("--reuse", type=Path, help="measure an earlier --keep database, do not generate")
    args = parser.parse_args()
    if args.reuse:
        path, load_s = args.reuse, 0.0
        facts = json.loads(Path(f"{path}.json").read_text())
    else:
        path = args.keep or Path(tempfile.mkdtemp(prefix="oh-trace-")) / "trace.sqlite"
        if path.exists():
            path.unlink()
        from app import create_app
        from extensions import db

        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        t0 = time.perf_counter()
        facts = generate(path, args.moves)
        load_s = time.perf_counter() - t0
        if args.keep:
            Path(f"{path}.json").write_text(json.dumps(facts))
    rows = measure(path, args.repeat, facts["busy_supplier_lots"])
    summary = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "load_seconds": round(load_s, 1),
        "database_mb": round(path.stat().st_size / 1e6, 1),
        **facts,
        "results": rows,
    }
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    print("\n| query | median ms | worst ms | CPU ms | lots | work orders | orders | shipments | customers |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        cells = [r.get(k, "") for k in ("lots", "work_orders", "orders", "shipments", "customers")]
        times = f"| {r['query']} | {r['median_ms']} | {r['worst_ms']} | {r['cpu_ms']} | "
        print(times + " | ".join(map(str, cells)) + " |")
    if not args.keep and not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
