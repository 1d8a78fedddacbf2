"""Bench: importing a 20,000-row order sheet (DESIGN §10): wall time and peak memory of the import
(both passes: check every row, then write every order), and of importing the same file again
(every row unchanged).

    .venv/bin/python bench/xlsx_import.py                       # SQLite file under a temp dir
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/oh_bench .venv/bin/python bench/xlsx_import.py

Peak memory is measured twice: tracemalloc's peak of Python allocations during the import (in a run
of its own, since tracing slows Python down), and the growth of the process's maximum resident set
(ru_maxrss) over the untraced first import.
"""

import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl
from sqlalchemy import func, insert, select, text
from werkzeug.security import generate_password_hash

from app import create_app
from domain.exchange.order_import import import_orders
from domain.exchange.order_sheet import ORDER_COLUMNS
from domain.masterdata import BomVersion, Customer, PriceListEntry, Product
from domain.orders.models import FLAME_GRADES, Order
from domain.users import User
from extensions import db

ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
CUSTOMERS, PRODUCTS, MODELS_PER_CUSTOMER = 300, 400, 25  # each customer buys 25 models (its price list)
TODAY = date.today()


def bought(customer: int) -> list[int]:
    """The models a customer buys: the same for the sheet and the price list."""
    return random.Random(customer).sample(range(PRODUCTS), MODELS_PER_CUSTOMER)


def make_sheet(path: Path, seed: int = 11) -> None:
    rng = random.Random(seed)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("订单")
    sheet.append(["长安精密塑胶 订单明细表"])  # a title row above the header, as the plant's sheet has
    sheet.append([c.title for c in ORDER_COLUMNS if c.key != "stage"])
    for i in range(ROWS):
        customer = rng.randrange(CUSTOMERS)
        sheet.append(
            [
                None,
                f"C{customer:04d}",
                f"P-{bought(customer)[rng.randrange(MODELS_PER_CUSTOMER)]:04d}",
                rng.randrange(100, 20000),
                None,  # the price list's price
                None,
                TODAY + timedelta(days=rng.randrange(10, 120)),
                rng.choice("ABC"),
                rng.choice(FLAME_GRADES),
                "纸箱",
                "黑色 PC",
                f"OLD-{i:06d}",
            ]
        )
    book.save(path)


def fill_master_data() -> User:
    db.session.execute(
        insert(Customer), [{"code": f"C{i:04d}", "name": f"客户{i}"} for i in range(CUSTOMERS)]
    )
    db.session.execute(
        insert(Product), [{"model": f"P-{i:04d}", "name": f"产品{i}"} for i in range(PRODUCTS)]
    )
    db.session.flush()
    product_ids = list(db.session.scalars(select(Product.id)))
    customer_ids = list(db.session.scalars(select(Customer.id)))
    db.session.execute(
        insert(BomVersion), [{"product_id": p, "version": 1, "status": "active"} for p in product_ids]
    )
    prices = [
        {
            "customer_id": c,
            "product_id": product_ids[p],
            "unit_price": Decimal("3.5"),
            "unit_cost": Decimal("2.8"),
        }
        for i, c in enumerate(customer_ids)
        for p in bought(i)
    ]
    db.session.execute(insert(PriceListEntry), prices)
    user = User(username="sales", password_hash=generate_password_hash("x", method="pbkdf2:sha256:1000"))
    user.set_roles(["sales"])
    db.session.add(user)
    db.session.commit()
    return user


def fresh_database(url: str) -> None:
    db.session.remove()
    db.drop_all()
    db.create_all()
    if url.startswith("postgresql"):
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def timed_import(path: Path, user: User) -> tuple[float, object]:
    """Wall seconds (printed with this process's CPU seconds: on a shared machine the two differ)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = import_orders(path, user, TODAY, "zh_CN", source=path.name)
    seconds = time.perf_counter() - start
    print(f"  import: {seconds:.1f} s wall, {time.process_time() - cpu:.1f} s CPU of this process")
    return seconds, result


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="oh-xlsx-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite'}"
    sheet = workdir / "orders.xlsx"
    started = time.perf_counter()
    make_sheet(sheet)
    print(
        f"sheet: {ROWS} rows, {sheet.stat().st_size / 1e6:.1f} MB, "
        f"written in {time.perf_counter() - started:.1f} s"
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        print(f"database: {db.engine.dialect.name}")
        fresh_database(url)
        user = fill_master_data()
        rss_before = maxrss_mb()
        seconds, result = timed_import(sheet, user)
        orders = db.session.execute(select(func.count(Order.id))).scalar_one()
        assert result.applied and result.created == ROWS == orders, (result.error_count, result.errors[:3])
        print(
            f"first import: {seconds:.1f} s ({ROWS / seconds:,.0f} rows/s), {orders} orders created, "
            f"max RSS {rss_before:.0f} → {maxrss_mb():.0f} MB"
        )
        seconds, result = timed_import(sheet, user)
        assert result.applied and result.unchanged == ROWS and result.created == 0
        print(f"same file again: {seconds:.1f} s, {result.unchanged} rows unchanged, nothing written")

        fresh_database(url)
        user = fill_master_data()
        tracemalloc.start()
        seconds, result = timed_import(sheet, user)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert result.applied and result.created == ROWS
        print(
            f"traced import: peak Python allocations {peak / 1e6:.1f} MB "
            f"(the run took {seconds:.1f} s traced)"
        )
        db.session.remove()
        if url.startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()


if __name__ == "__main__":
    main()
